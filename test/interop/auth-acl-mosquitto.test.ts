// Differential: the same acl_file in the real mosquitto 2.0 and in our aclAllows() gives the same write
// decisions (observed through v5 PUBACK 135). Cases where we deliberately differ are left out (a pattern
// deny beating a user grant; %u inside a level).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aclAllows, parseAcl } from '../../src/auth/acl.js'
import { hashPassword } from '../../src/auth/hash.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'

const skip = mosquittoMissing()

const ACL = `topic read public/#
user alice
topic readwrite alice/#
topic deny alice/locked/#
topic write shared/+/in
user bob
topic bob
pattern write devices/%c/status
pattern readwrite users/%u/#
`
const CASES: ReadonlyArray<[user: string, clientId: string, topic: string]> = [
  ['alice', 'a1', 'alice/x'], ['alice', 'a1', 'alice/locked/x'], ['alice', 'a1', 'shared/k/in'],
  ['alice', 'a1', 'shared/k/out'], ['alice', 'a1', 'public/x'], ['alice', 'a1', 'users/alice/1'],
  ['alice', 'a1', 'users/bob/1'], ['bob', 'dev9', 'bob'], ['bob', 'dev9', 'bob/sub'],
  ['bob', 'dev9', 'devices/dev9/status'], ['bob', 'dev9', 'devices/dev8/status'], ['alice', 'a1', '$SYS/x'],
]

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-acl-diff-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

test('write decisions of mosquitto 2.0 and aclAllows agree on a shared acl_file', { skip }, async (t) => {
  const d = workDir(t)
  const pw = join(d, 'pw'), acl = join(d, 'acl')
  writeFileSync(pw, `alice:${await hashPassword('a', { type: 'sha512-pbkdf2', iterations: 1000 })}\nbob:${await hashPassword('b', { type: 'sha512' })}\n`)
  writeFileSync(acl, ACL)
  const m = await startMosquitto(t, [`password_file ${pw}`, `acl_file ${acl}`], { anonymous: false })
  const table = parseAcl(ACL, acl)
  const seen = new Set<boolean>()
  for (const [user, clientId, topic] of CASES) {
    const r = await runCli('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(m.port), '-V', 'mqttv5', '-q', '1', '-i', clientId,
      '-u', user, '-P', user === 'alice' ? 'a' : 'b', '-t', topic, '-m', 'x'], { timeoutMs: 10_000 })
    assert.equal(r.code, 0, r.stderr)
    const mosquittoAllows = !r.stderr.includes('Not authorized')
    seen.add(mosquittoAllows)
    assert.equal(aclAllows(table, { username: user, clientId }, topic, 'write'), mosquittoAllows, `${user} write ${topic}`)
  }
  assert.equal(seen.size, 2, 'the cases cover both outcomes')
})
