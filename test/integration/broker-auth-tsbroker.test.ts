// End to end: tspasswd writes the files, the tsbroker command reads them (mosquitto.conf password_file,
// acl_file, allow_anonymous), mosquitto_pub sees the CONNACK codes, SIGHUP reloads the password file.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, mosquittoMissing } from '../helpers/mosquitto.js'
import { binPath, cleanEnv, runCli } from '../helpers/run-cli.js'

const skip = mosquittoMissing()

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-tsbroker-auth-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

async function tspasswd(argv: string[], cwd: string, password: string): Promise<void> {
  const r = await runCli('tspasswd', argv, { cwd, env: cleanEnv({ TSPASSWD_PASSWORD: password }), timeoutMs: 15_000 })
  assert.equal(r.code, 0, r.stderr)
}

/** Start bin/tsbroker.js with `conf`; resolves once it printed its address line. Stopped (SIGTERM, then SIGKILL) afterwards. */
async function startTsbroker(t: TestContext, dir: string, conf: string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  writeFileSync(join(dir, 'tsbroker.conf'), conf.join('\n') + '\n')
  const child = spawn(process.execPath, [binPath('tsbroker'), '-c', join(dir, 'tsbroker.conf')], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  t.after(() => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  }))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tsbroker did not start: ${stderr}`)), 10_000)
    child.stdout.once('data', () => { clearTimeout(timer); resolve() })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`tsbroker exited ${code}: ${stderr}`)) })
  })
  return { child, stderr: () => stderr }
}

test('tsbroker with password_file + acl_file written by tspasswd: logins, refusals, SIGHUP reload', { skip }, async (t) => {
  const d = workDir(t)
  await tspasswd(['-c', 'pw', 'alice'], d, 's3cret') // argon2id, the default
  writeFileSync(join(d, 'acl'), 'user alice\ntopic readwrite alice/#\n')
  const port = await freePort()
  const broker = await startTsbroker(t, d, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${join(d, 'pw')}`, `acl_file ${join(d, 'acl')}`,
  ])
  const pub = (user: string[], version = 'mqttv311', topic = 'alice/x') => runCli('mosquitto_pub',
    ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-q', '1', '-t', topic, '-m', 'x', ...user], { timeoutMs: 10_000 })
  assert.equal((await pub(['-u', 'alice', '-P', 's3cret'])).code, 0)
  assert.equal((await pub(['-u', 'alice', '-P', 'bad'])).code, 5)
  assert.equal((await pub(['-u', 'alice', '-P', 'bad'], 'mqttv5')).code, 135)
  assert.equal((await pub([])).code, 5)
  const denied = await pub(['-u', 'alice', '-P', 's3cret'], 'mqttv5', 'bob/x')
  assert.equal(denied.stderr, 'Warning: Publish 1 failed: Not authorized.\n')

  // A new user works after SIGHUP (reload is asynchronous: retry a bounded number of times).
  await tspasswd(['pw', 'bob'], d, 'b0b')
  assert.equal((await pub(['-u', 'bob', '-P', 'b0b'])).code, 5)
  broker.child.kill('SIGHUP')
  let code: number | null = 5
  for (let i = 0; i < 20 && code === 5; i++) code = (await pub(['-u', 'bob', '-P', 'b0b'])).code
  assert.equal(code, 0, broker.stderr())
  assert.match(broker.stderr(), /Reloading config\./)
})
