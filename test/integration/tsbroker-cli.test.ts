import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { runCli } from '../helpers/run-cli.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'tsbroker-it-'))
const conf = (text: string) => {
  const file = join(tmp(), 'm.conf')
  writeFileSync(file, text)
  return file
}
const connect = (port: number, o: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000, ...o })

test('-p 0: the first stdout line is 127.0.0.1:<port>, and clients can use that port', async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  assert.match(b.addresses[0]!, /^127\.0\.0\.1:\d+$/)
  assert.ok(b.port > 0)
  const c = await connect(b.port)
  const got = new Promise<string>((resolve) => c.on('message', (_t, p) => resolve(p.toString())))
  await c.subscribeAsync('a/b')
  await c.publishAsync('a/b', 'hello', { qos: 1 })
  assert.equal(await got, 'hello')
  await c.endAsync()
  assert.match(b.stderr(), /^\d+: tsbroker version \S+ starting$/m)
  assert.match(b.stderr(), /Starting in local only mode/)
})

test('--port-file gets the port, the same as the first stdout line', async (t) => {
  const file = join(tmp(), 'port')
  const b = await spawnTsbroker(t, ['-p', '0', '--port-file', file])
  assert.equal(readFileSync(file, 'utf8'), `${b.port}\n`)
})

test('several listeners: one address line each, -p first, then the config listeners (unix socket as its path)', async (t) => {
  const sock = join(tmp(), 'mqtt.sock')
  const b = await spawnTsbroker(t, ['-p', '0', '-p', '0', '-c', conf(`listener 0 ${sock}\nallow_anonymous true\n`)], { listeners: 3 })
  assert.match(b.addresses[0]!, /^127\.0\.0\.1:\d+$/)
  assert.match(b.addresses[1]!, /^127\.0\.0\.1:\d+$/)
  assert.notEqual(b.addresses[0], b.addresses[1])
  assert.equal(b.addresses[2], sock)
  const second = await connect(Number(b.addresses[1]!.split(':')[1]))
  await second.endAsync()
  // MQTT.js has no unix-socket transport: a raw v3.1.1 CONNECT, expecting CONNACK accepted.
  const connack = await new Promise<Buffer>((resolve, reject) => {
    const s = net.connect(sock, () => s.write(Buffer.from('101000044d5154540402003c000475733031', 'hex')))
    s.once('data', (d) => { s.destroy(); resolve(d) })
    s.once('error', reject)
  })
  assert.equal(connack.toString('hex'), '20020000')
})

test('SIGTERM: clean shutdown of a broker with connected clients, exit 0', async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  const c = await connect(b.port, { clientId: 'still-here' })
  t.after(() => { c.end(true) })
  const closed = new Promise<void>((resolve) => c.once('close', () => resolve()))
  b.child.kill('SIGTERM')
  assert.deepEqual(await b.exited, { code: 0, signal: null })
  await closed
  assert.match(b.stderr(), /tsbroker version \S+ terminating\n$/)
})

// mosquitto-compatible shutdown publishes the wills of connected clients to the clients still there.
test('SIGTERM: the will of a connected client reaches a subscriber before the broker exits', async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  const watcher = await connect(b.port, { clientId: 'watcher' })
  await watcher.subscribeAsync('wills/#', { qos: 1 })
  const will = new Promise<string>((resolve) => watcher.on('message', (topic, p) => resolve(`${topic} ${p.toString()}`)))
  const dying = await connect(b.port, { clientId: 'dying', will: { topic: 'wills/dying', payload: Buffer.from('gone'), qos: 1, retain: false } })
  t.after(() => { dying.end(true); watcher.end(true) })
  b.child.kill('SIGTERM')
  const outcome = await Promise.race([will, b.exited.then(() => 'exited without delivering the will')])
  assert.equal(outcome, 'wills/dying gone')
  assert.deepEqual(await b.exited, { code: 0, signal: null })
})

test('SIGINT is a clean shutdown too; pid_file is written and removed', async (t) => {
  const pidFile = join(tmp(), 'tsbroker.pid')
  const b = await spawnTsbroker(t, ['-p', '0', '-c', conf(`pid_file ${pidFile}\n`)])
  assert.equal(readFileSync(pidFile, 'utf8'), `${b.pid}\n`)
  b.child.kill('SIGINT')
  assert.deepEqual(await b.exited, { code: 0, signal: null })
  assert.equal(existsSync(pidFile), false)
})

const configErrors: ReadonlyArray<[name: string, text: string, line: (file: string) => string]> = [
  ['unknown directive', '# c\nfoo bar\n', (f) => `Error: Unknown configuration variable "foo" (${f}:2).`],
  ['non-numeric port', 'listener 18x3\n', (f) => `Error: Invalid port value (18x3) (${f}:1).`],
  ['bad boolean', 'listener 1883\nallow_anonymous maybe\n', (f) => `Error: Invalid allow_anonymous value (maybe) (${f}:2).`],
  ['missing password file', 'password_file /nonexistent/pw\n', () => 'Error: Unable to open pwfile "/nonexistent/pw". No such file or directory.'],
  ['websockets on a unix socket', 'listener 0 /tmp/x.sock\nprotocol websockets\n', (f) => `Error: Websockets listeners cannot use a unix socket (${f}:1).`],
]
for (const [name, text, line] of configErrors) {
  test(`config error (${name}): one stderr line naming the file, exit 1, nothing on stdout`, async () => {
    const file = conf(text)
    const r = await runCli('tsbroker', ['-c', file, '-p', '0'], { timeoutMs: 10_000 })
    assert.equal(r.code, 1)
    assert.equal(r.stdout.toString(), '')
    const errLines = r.stderr.split('\n').filter((l) => l.startsWith('Error'))
    assert.deepEqual(errLines, [line(file)])
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
  })
}

test('a missing config file and a bad flag are one-line errors with exit 1', async () => {
  const r = await runCli('tsbroker', ['-c', '/nonexistent/m.conf'], { timeoutMs: 10_000 })
  assert.deepEqual([r.code, r.stderr], [1, 'Error: Unable to open config file /nonexistent/m.conf.\n'])
  const u = await runCli('tsbroker', ['-x'], { timeoutMs: 10_000 })
  assert.equal(u.code, 1)
  assert.equal(u.stderr.split('\n')[0], "Error: Unknown option '-x'.")
})

test('--help and --version print to stdout and exit 0', async () => {
  const h = await runCli('tsbroker', ['--help'], { timeoutMs: 10_000 })
  assert.equal(h.code, 0)
  assert.match(h.stdout.toString(), /^Usage: tsbroker \[-c config_file\]/m)
  const v = await runCli('tsbroker', ['--version'], { timeoutMs: 10_000 })
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  assert.deepEqual([v.code, v.stdout.toString()], [0, `tsbroker version ${pkg.version}\n`])
})

test('allow_anonymous false refuses anonymous clients (CONNACK not authorized)', async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0', '-c', conf('allow_anonymous false\n')])
  await assert.rejects(connect(b.port, { protocolVersion: 4 }), /Not authorized/i)
})

test('-v logs debug lines (every PUBLISH); without it they are not logged', async (t) => {
  const quiet = await spawnTsbroker(t, ['-p', '0'])
  const loud = await spawnTsbroker(t, ['-p', '0', '-v'])
  for (const b of [quiet, loud]) {
    const c = await connect(b.port, { clientId: 'pubber' })
    await c.publishAsync('x/y', 'z', { qos: 1 })
    await c.endAsync()
  }
  const line = /Received PUBLISH from pubber \(d0, q1, r0, m\d+, 'x\/y', \.\.\. \(1 bytes\)\)/
  assert.doesNotMatch(quiet.stderr(), line)
  assert.match(loud.stderr(), line)
})

test('-d: the parent prints the address and exits 0 while the broker keeps running; stopped by its pid_file', async (t) => {
  const dir = tmp()
  const pidFile = join(dir, 'd.pid')
  const r = await runCli('tsbroker', ['-d', '-p', '0', '-c', conf(`pid_file ${pidFile}\nlog_dest none\n`)], { timeoutMs: 15_000 })
  const pid = Number(readFileSync(pidFile, 'utf8'))
  t.after(() => { try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ } })
  assert.equal(r.code, 0)
  const m = /^127\.0\.0\.1:(\d+)\n$/.exec(r.stdout.toString())
  assert.ok(m, `stdout: ${JSON.stringify(r.stdout.toString())}`)
  const c = await connect(Number(m[1]))
  await c.endAsync()
  process.kill(pid, 'SIGTERM')
  for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 50))
  assert.equal(existsSync(pidFile), false, 'the daemon removed its pid file on SIGTERM')
})
