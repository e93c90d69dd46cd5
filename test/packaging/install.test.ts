// The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into an empty prefix,
// with no network but the npm registry (anything else would go through a proxy that refuses). Then every
// command runs, every man page is installed and renders without a warning, the completion scripts load,
// the library imports, and the tarball holds what the entry points can load and nothing else.
import assert from 'node:assert/strict'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { before, test } from 'node:test'
import { reachable } from '../helpers/module-graph.js'
import { repoRoot } from '../helpers/run-cli.js'

interface Pkg { version: string; bin: Record<string, string>; man: string[]; main: string; exports: Record<string, { default: string; types: string }> }
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Pkg
const work = mkdtempSync(join(tmpdir(), 'tsmqtt-pack-'))
const prefix = join(work, 'prefix')
const installed = join(prefix, 'lib', 'node_modules', 'tsmqtt')
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
const offline = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH)\b/

function sh(cmd: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd[0]!, cmd.slice(1), { cwd: o.cwd ?? work, env: o.env ?? process.env, input: o.input ?? '', encoding: 'utf8', timeout: 300_000 })
}
const have = (c: string) => sh(['sh', '-c', `command -v ${c}`]).status === 0

/** Only the registry: npm and install scripts reach everything else through a proxy nobody listens on. */
function registryOnlyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const k of Object.keys(env)) if (/^npm_(config|package|lifecycle)_/.test(k) || k === 'INIT_CWD') delete env[k]
  const proxySet = ['proxy', 'https-proxy'].some((k) => !/^(null|undefined)?$/.test(sh([...npm, 'config', 'get', k]).stdout.trim()))
  if (!proxySet) {
    const registry = new URL(sh([...npm, 'config', 'get', 'registry']).stdout.trim())
    Object.assign(env, { npm_config_proxy: 'http://127.0.0.1:9', npm_config_https_proxy: 'http://127.0.0.1:9', npm_config_noproxy: registry.hostname })
  }
  return env
}

let packed: { filename: string; files: { path: string }[] }
let skipInstall: string | false = false

before(() => {
  const p = sh([...npm, 'pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot })
  assert.equal(p.status, 0, p.stderr)
  packed = (JSON.parse(p.stdout) as typeof packed[])[0]!
  const i = sh([...npm, 'install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], { env: registryOnlyEnv() })
  if (i.status !== 0 && offline.test(i.stderr) && !process.env.CI) skipInstall = 'the npm registry is not reachable'
  else assert.equal(i.status, 0, `npm install -g failed:\n${i.stderr}`)
})
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

/** What the tarball is allowed to hold at all. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICEN[CS]E/, /^bin\/ts[a-z]+\.js$/, /^build\/bin\/ts[a-z]+\.c?js$/,
  /^build\/bin\/code-cache\.(cjs|json)$/, /^bin\/package\.json$/,
  /^build\/src\/.+\.(js|d\.ts)$/, /^man\/[a-z.]+\.[1-8]$/, /^docs\/[a-z-]+\.md$/]

test('the tarball holds only package files users need: no sources, tests, maps, scripts or benchmarks', () => {
  const odd = packed.files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)))
  assert.deepEqual(odd, [])
})

test('every command of package.json "bin" is installed and runs --version', (t) => {
  if (skipInstall) return t.skip(skipInstall)
  const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work }
  for (const name of Object.keys(pkg.bin)) {
    const r = sh([join(prefix, 'bin', name), '--version'], { env })
    assert.equal(r.status, 0, `${name}: ${r.stderr}`)
    assert.match(r.stdout, new RegExp(`^${name} version ${pkg.version.replace(/\./g, '\\.')}\\b`))
    assert.equal(r.stderr, '')
  }
  // the native argon2 module loads from the install: a default (argon2id) hash, no prompt in the output
  const pw = sh([join(prefix, 'bin', 'tspasswd'), '-c', '-', 'bob'], { env, input: 'pw\n' })
  assert.equal(pw.status, 0, pw.stderr)
  assert.match(pw.stdout, /^bob:\$argon2id\$v=19\$[^\n]+\n$/)
})

test('every page of package.json "man" is installed where man finds it, and renders without a warning', (t) => {
  if (skipInstall) return t.skip(skipInstall)
  if (!have('man') && !process.env.CI) return t.skip('man is not installed')
  const manDir = join(prefix, 'share', 'man')
  const env = { PATH: process.env.PATH, MANWIDTH: '80', LANG: 'C.UTF-8', HOME: work }
  for (const page of pkg.man) {
    const file = basename(page)
    const section = /\.(\d)$/.exec(file)![1]!
    const path = join(manDir, `man${section}`, file)
    const r = sh(['man', '--warnings=w', '-l', path], { env })
    assert.equal(r.status, 0, `${path}: ${r.stderr}`)
    assert.equal(r.stderr, '', `man -l ${file} warned`)
    assert.ok(r.stdout.length > 500, `${file} rendered to almost nothing`)
    const byName = sh(['man', '-M', manDir, '-w', section, file.replace(/\.\d$/, '')], { env })
    assert.equal(byName.status, 0, `man ${section} ${file.replace(/\.\d$/, '')} finds no page: ${byName.stderr}`)
    assert.equal(realpathSync(byName.stdout.trim()), realpathSync(path), `man ${section} ${file.replace(/\.\d$/, '')} finds the installed page`)
  }
})

test('the installed tools print completion scripts that bash loads', (t) => {
  if (skipInstall) return t.skip(skipInstall)
  const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work }
  for (const name of ['tspub', 'tssub', 'tsrr', 'tspasswd', 'tsbench']) {
    const r = sh(['bash', '-c', `source <(${name} --completion bash) && complete -p ${name}`], { env })
    assert.equal(r.status, 0, `${name}: ${r.stderr}`)
    assert.equal(r.stdout.trim(), `complete -F _tsmqtt_${name} ${name}`)
  }
})

test('the library imports from the install: createBroker and connect', (t) => {
  if (skipInstall) return t.skip(skipInstall)
  const r = sh([process.execPath, '--input-type=module', '-e',
    "const m = await import('tsmqtt'); process.stdout.write(typeof m.createBroker + ' ' + typeof m.connect)"], { cwd: join(prefix, 'lib') })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout, 'function function')
})

test('the installed package holds exactly what its entry points load (and the types of the library)', (t) => {
  if (skipInstall) return t.skip(skipInstall)
  const all = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return n === 'node_modules' ? [] : statSync(p).isDirectory() ? all(p) : [p]
  })
  const entries = [...Object.values(pkg.bin), pkg.main, ...Object.values(pkg.exports).map((e) => e.default)].map((p) => join(installed, p))
  const code = reachable(entries)
  const types = reachable([join(installed, pkg.exports['.']!.types)], (p) => p.replace(/\.js$/, '.d.ts'))
  assert.deepEqual([...code.missing, ...types.missing], [], 'an entry point imports a file the package does not hold')
  // a types-only module compiles to an empty `export {}`: it belongs with its .d.ts
  const typesOnly = (f: string) => /^export \{\};\s*(\/\/# sourceMappingURL=\S+\s*)?$/.test(readFileSync(f, 'utf8'))
  const unneeded = all(installed).filter((f) => /\.js$/.test(f) && !code.files.has(f) && !(typesOnly(f) && types.files.has(f.replace(/\.js$/, '.d.ts'))))
    .map((f) => relative(installed, f))
  assert.deepEqual(unneeded, [], 'shipped but never loaded')
  const orphanTypes = all(installed).filter((f) => f.endsWith('.d.ts') && !all(installed).includes(f.replace(/\.d\.ts$/, '.js'))).map((f) => relative(installed, f))
  assert.deepEqual(orphanTypes, [], 'types of a module that is not shipped')
})
