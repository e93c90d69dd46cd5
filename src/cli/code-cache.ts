// Starting a client tool (tspub, tssub, tsrr) from its bundle with V8's code cache. Shell scripts and cron
// jobs start these tools thousands of times, and compiling the ~300 KB bundle at every start is most of
// what a start costs beyond Node's own (bench/RESULTS.md: one publish 1.60x `node -e 0` before, 1.34x with
// the cache and CommonJS bins; the dependency-free node-min-pub.mjs is 1.23x). Node 20 has no module compile
// cache (that is Node 22's module.enableCompileCache), so the bundle is CommonJS compiled here with vm.Script
// and its cachedData.
//
// The cache is written after the tool's first run (so the functions that run are in it, not only the
// top level), under $XDG_CACHE_HOME/tsmqtt (else ~/.cache/tsmqtt), one file per tool, named by the
// bundle's content hash, the Node version and the architecture; V8 itself refuses data from another V8
// or other flags, and a refused or damaged file is written afresh. A cache file is code: one that is not
// a regular file of this user, writable only by them, is ignored. TSMQTT_CODE_CACHE=0 turns it off.
// Nothing here prints or throws about the cache: at worst the tool compiles as it would without one.
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join } from 'node:path'
import { Script } from 'node:vm'

/** Where `tool`'s cache is kept, or undefined (turned off, or no home to keep it in). */
export interface CacheLocation { readonly dir: string; readonly file: string; readonly prefix: string }

export function codeCacheLocation(tool: string, key: string, env: NodeJS.ProcessEnv, node = `${process.version}-${process.arch}`): CacheLocation | undefined {
  if (env.TSMQTT_CODE_CACHE === '0') return undefined
  const xdg = env.XDG_CACHE_HOME
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : env.HOME ? join(env.HOME, '.cache') : undefined // a relative XDG path is ignored (XDG spec)
  if (base === undefined) return undefined
  const dir = join(base, 'tsmqtt')
  return { dir, prefix: `${tool}-`, file: join(dir, `${tool}-${key}-${node}.v8cache`) }
}

/** A cache file only this user could have written, or undefined. */
function readCache(file: string): Buffer | undefined {
  try {
    const st = lstatSync(file)
    const uid = process.getuid?.() // POSIX only: on Windows the folder's ACL is what protects it
    if (!st.isFile() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Written whole or not at all (a temporary file renamed), and the same tool's older caches removed. */
function saveCache(where: CacheLocation, data: Buffer): void {
  const tmp = `${where.file}.${process.pid}.tmp`
  try {
    mkdirSync(where.dir, { recursive: true, mode: 0o700 })
    writeFileSync(tmp, data, { mode: 0o600 })
    renameSync(tmp, where.file)
    const name = where.file.slice(where.dir.length + 1)
    for (const n of readdirSync(where.dir)) {
      if (n.startsWith(where.prefix) && n.endsWith('.v8cache') && n !== name) unlinkSync(join(where.dir, n))
    }
  } catch {
    // a read-only or full home: the next start compiles again; nothing half-written is left behind
    try { unlinkSync(tmp) } catch { /* never made */ }
  }
}

type Main = (argv: string[]) => Promise<number>

/**
 * Run `binDir/<tool>.cjs`'s main(argv) and return its exit code. scripts/bundle.mjs writes each bundle as one
 * function expression, `(function (exports, require, module, __filename, __dirname, __tsmqttImport) {…})`,
 * compiled here as read, and `binDir/code-cache.json` with each bundle's content hash.
 */
export async function runBundle(tool: string, argv: string[], binDir: string): Promise<number> {
  const filename = join(binDir, `${tool}.cjs`)
  const source = readFileSync(filename, 'utf8')
  let key: string | undefined
  try {
    key = (JSON.parse(readFileSync(join(binDir, 'code-cache.json'), 'utf8')) as Record<string, string>)[tool]
  } catch {
    key = undefined
  }
  const where = key === undefined ? undefined : codeCacheLocation(tool, key, process.env)
  const cachedData = where && readCache(where.file)
  const script = new Script(source, { filename, cachedData })
  const module = { exports: {} as { main?: Main } }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  // The bundle's import() of chalk, ws and node:tls (scripts/bundle.mjs), resolved from here: build/bin/, as the bundle.
  const load = (specifier: string) => import(specifier)
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename), load)
  const code = await module.exports.main!(argv)
  if (where && (cachedData === undefined || script.cachedDataRejected === true)) saveCache(where, script.createCachedData())
  return code
}
