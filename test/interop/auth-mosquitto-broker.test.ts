// Files written by tspasswd work in the real mosquitto 2.0 broker ($7$ with a 12-byte salt, and $6$):
// right password → exit 0, wrong password → CONNACK 5 (v3.1.1) / 135 (v5), as mosquitto_pub reports it.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { cleanEnv, runCli } from '../helpers/run-cli.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const skip = mosquittoMissing()

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-authmosq-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

async function tspasswd(argv: string[], cwd: string): Promise<void> {
  const r = await runCli('tspasswd', argv, { cwd, env: cleanEnv(), timeoutMs: 15_000 })
  assert.equal(r.code, 0, r.stderr)
}

const pub = (port: number, user: string, password: string, version: string) =>
  runCli('mosquitto_pub', ['-p', String(port), '-h', '127.0.0.1', '-V', version, '-t', 't', '-m', 'x', '-u', user, '-P', password], { timeoutMs: 10_000 })

test('mosquitto 2.0 accepts tspasswd $7$ (12-byte salt, default iterations) and $6$ entries', { skip }, async (t) => {
  const d = workDir(t)
  await tspasswd(['-c', '-H', 'sha512-pbkdf2', '-b', join(d, 'pw'), 'alice', 's3cret'], d)
  await tspasswd(['-H', 'sha512', '-b', join(d, 'pw'), 'bob', 'b0b'], d)
  await tspasswd(['-H', 'sha512-pbkdf2', '-I', '7', '-b', join(d, 'pw'), 'carol', 'c4rol'], d)
  const m = await startMosquitto(t, [`password_file ${join(d, 'pw')}`], { anonymous: false })
  for (const [user, password] of [['alice', 's3cret'], ['bob', 'b0b'], ['carol', 'c4rol']] as const) {
    for (const version of ['mqttv311', 'mqttv5']) {
      const ok = await pub(m.port, user, password, version)
      assert.equal(ok.code, 0, `${user} ${version}: ${ok.stderr}\n${m.log()}`)
    }
    const bad311 = await pub(m.port, user, password + '!', 'mqttv311')
    assert.equal(bad311.code, 5, bad311.stderr)
    const bad5 = await pub(m.port, user, password + '!', 'mqttv5')
    assert.equal(bad5.code, 135, bad5.stderr)
  }
  assert.doesNotMatch(m.log(), /removing entry/)
})
