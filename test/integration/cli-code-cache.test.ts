// The compiled-code cache of the real tools (src/cli/code-cache.ts): written once, after the first run, in
// a folder only the user can read; used, not rewritten, by the next start; a damaged file or one others
// could have written is never trusted (the tool runs as without it and writes it afresh); the same tool's
// older caches are removed; TSMQTT_CODE_CACHE=0 keeps nothing. None of it shows in a tool's output.
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { cleanEnv, repoRoot, runCli } from '../helpers/run-cli.js'

const keys = JSON.parse(readFileSync(join(repoRoot, 'build/bin/code-cache.json'), 'utf8')) as Record<string, string>
const cacheName = (tool: string) => `${tool}-${keys[tool]}-${process.version}-${process.arch}.v8cache`

async function version(tool: string, cacheHome: string, extra: NodeJS.ProcessEnv = {}): Promise<void> {
  const r = await runCli(tool, ['--version'], { env: cleanEnv({ XDG_CACHE_HOME: cacheHome, ...extra }) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout.toString(), new RegExp(`^${tool} version `))
  assert.equal(r.stderr, '')
}

test('the first run writes the cache (folder 0700, file 0600); the next one uses it without writing it again', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tsmqtt-cache-'))
  await version('tspub', home)
  const dir = join(home, 'tsmqtt')
  assert.equal(statSync(dir).mode & 0o777, 0o700)
  assert.deepEqual(readdirSync(dir), [cacheName('tspub')])
  const file = join(dir, cacheName('tspub'))
  const first = statSync(file)
  assert.equal(first.mode & 0o777, 0o600)
  assert.ok(first.size > 1000)
  await version('tspub', home)
  const second = statSync(file)
  assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs], 'accepted by V8: not written again')
})

test('a damaged cache, or one others can write, is not used: the tool runs as usual and writes a fresh one', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tsmqtt-cache-'))
  const dir = join(home, 'tsmqtt')
  mkdirSync(dir, { mode: 0o700 })
  const file = join(dir, cacheName('tssub'))
  writeFileSync(file, 'not compiled code', { mode: 0o600 })
  await version('tssub', home)
  assert.ok(statSync(file).size > 1000, 'rewritten')
  const good = readFileSync(file)
  writeFileSync(file, good)
  chmodSync(file, 0o666)
  await version('tssub', home)
  assert.equal(statSync(file).mode & 0o777, 0o600, 'a group/world-writable file is replaced, never read')
})

test('a save removes the same tool\'s older caches and leaves the other tools\' alone', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tsmqtt-cache-'))
  const dir = join(home, 'tsmqtt')
  mkdirSync(dir, { mode: 0o700 })
  writeFileSync(join(dir, 'tsrr-0123456789abcdef-v18.0.0-x64.v8cache'), 'old', { mode: 0o600 })
  writeFileSync(join(dir, 'tspub-0123456789abcdef-v18.0.0-x64.v8cache'), 'other tool', { mode: 0o600 })
  await version('tsrr', home)
  assert.deepEqual(readdirSync(dir).sort(), [cacheName('tsrr'), 'tspub-0123456789abcdef-v18.0.0-x64.v8cache'].sort())
})

test('TSMQTT_CODE_CACHE=0 writes nothing', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tsmqtt-cache-'))
  await version('tspub', home, { TSMQTT_CODE_CACHE: '0' })
  assert.equal(existsSync(join(home, 'tsmqtt')), false)
})
