// Password files written by the real mosquitto_passwd 2.0 verify with our code, and tspasswd edits them
// without disturbing mosquitto's entries.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseHash, verifyPassword } from '../../src/auth/hash.js'
import { entries, parsePasswordFile } from '../../src/auth/password-file.js'
import { cleanEnv, runCli } from '../helpers/run-cli.js'

/** Skip locally when mosquitto_passwd is missing; in CI it must be there. */
function passwdMissing(): string | false {
  if (spawnSync('which', ['mosquitto_passwd']).status === 0) return false
  if (process.env.CI) throw new Error('mosquitto_passwd must be installed in CI (apt-get install mosquitto)')
  return 'mosquitto_passwd not installed'
}
const skip = passwdMissing()

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-mosqpasswd-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

async function mosquittoPasswd(argv: string[], cwd: string): Promise<void> {
  const r = await runCli('mosquitto_passwd', argv, { cwd, timeoutMs: 10_000 })
  assert.equal(r.code, 0, `mosquitto_passwd ${argv.join(' ')}: ${r.stderr}`)
}

test('entries written by mosquitto_passwd ($7$ default, $6$, -I 1000, piped prompt) verify with our code', { skip }, async (t) => {
  const d = workDir(t)
  await mosquittoPasswd(['-c', '-b', 'pw', 'alice', 's3cret'], d)
  await mosquittoPasswd(['-H', 'sha512', '-b', 'pw', 'bob', 'b0b'], d)
  await mosquittoPasswd(['-I', '1000', '-b', 'pw', 'carol', 'c4rol'], d)
  const piped = await runCli('mosquitto_passwd', ['pw', 'dave'], { cwd: d, stdin: 'd4ve\nd4ve\n', timeoutMs: 10_000 })
  assert.equal(piped.code, 0, piped.stderr)
  const users = entries(parsePasswordFile(readFileSync(join(d, 'pw'), 'utf8')))
  const expect: Record<string, [password: string, type: string]> = {
    alice: ['s3cret', 'sha512-pbkdf2'], bob: ['b0b', 'sha512'], carol: ['c4rol', 'sha512-pbkdf2'], dave: ['d4ve', 'sha512-pbkdf2'],
  }
  for (const [user, [password, type]] of Object.entries(expect)) {
    const stored = users.get(user)!
    assert.equal(parseHash(stored)?.type, type, user)
    assert.equal(await verifyPassword(password, stored), true, user)
    assert.equal(await verifyPassword(password + 'x', stored), false, user)
  }
})

test('tspasswd updates a mosquitto_passwd file: other entries byte for byte, position kept', { skip }, async (t) => {
  const d = workDir(t)
  await mosquittoPasswd(['-c', '-b', 'pw', 'alice', 'a'], d)
  await mosquittoPasswd(['-b', 'pw', 'bob', 'b'], d)
  const before = readFileSync(join(d, 'pw'), 'utf8').split('\n')
  const r = await runCli('tspasswd', ['-H', 'sha512-pbkdf2', '-b', 'pw', 'alice', 'new'], { cwd: d, env: cleanEnv(), timeoutMs: 10_000 })
  assert.equal(r.code, 0, r.stderr)
  const after = readFileSync(join(d, 'pw'), 'utf8').split('\n')
  assert.equal(after[1], before[1]) // bob untouched
  assert.match(after[0]!, /^alice:\$7\$210000\$/)
  // mosquitto_passwd itself can still work on the file we wrote
  await mosquittoPasswd(['-D', 'pw', 'bob'], d)
  assert.match(readFileSync(join(d, 'pw'), 'utf8'), /^alice:\$7\$210000\$[^\n]+\n$/)
})
