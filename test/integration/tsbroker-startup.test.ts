// tsbroker's start-up and shutdown contract: a step that fails stops the start with one line and exit 1,
// leaving no listener, pid file, port file or unix socket behind (`-d` too, without hanging); a clean
// shutdown removes the files it wrote; `user` drops root after binding; `log_dest syslog` is never silent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { freePort } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'tsbroker-start-'))
const conf = (dir: string, lines: string[]) => {
  const file = join(dir, 'm.conf')
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}
const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(false) })
  s.on('error', () => resolve(true))
})

test('a pid_file that cannot be written stops the start before anything listens, exit 1', async () => {
  const dir = tmp()
  const [port, sock] = [await freePort(), join(dir, 'm.sock')]
  const file = conf(dir, [`listener ${port} 127.0.0.1`, `listener 0 ${sock}`, 'allow_anonymous true', `pid_file ${dir}/missing/t.pid`])
  const r = await runCli('tsbroker', ['-c', file, '--port-file', join(dir, 'port')], { timeoutMs: 8000 })
  assert.equal(r.code, 1)
  assert.equal(r.stdout.toString(), '')
  assert.match(r.stderr, new RegExp(`^Error: Unable to write pid file "${dir}/missing/t.pid": No such file or directory\\.$`, 'm'))
  assert.ok(await refused(port))
  assert.deepEqual([existsSync(sock), existsSync(join(dir, 'port'))], [false, false])
})

test('a failure after listening (the port file) closes the listeners and removes the pid file', async () => {
  const dir = tmp()
  const [port, sock, pid] = [await freePort(), join(dir, 'm.sock'), join(dir, 't.pid')]
  const file = conf(dir, [`listener ${port} 127.0.0.1`, `listener 0 ${sock}`, 'allow_anonymous true', `pid_file ${pid}`])
  const r = await runCli('tsbroker', ['-c', file, '--port-file', join(dir, 'missing', 'port')], { timeoutMs: 8000 })
  assert.equal(r.code, 1)
  assert.equal(r.stdout.toString(), '')
  assert.match(r.stderr, /^Error: Unable to write port file ".*\/missing\/port": No such file or directory\.$/m)
  assert.ok(await refused(port))
  assert.deepEqual([existsSync(sock), existsSync(pid)], [false, false])
})

test('a listener that cannot be opened names its configuration line; the pid file is removed again', async () => {
  const dir = tmp()
  const pid = join(dir, 't.pid')
  const file = conf(dir, [`pid_file ${pid}`, `listener ${await freePort()} 127.0.0.1`, `certfile ${dir}/none.crt`, `keyfile ${dir}/none.key`])
  const r = await runCli('tsbroker', ['-c', file], { timeoutMs: 8000 })
  assert.equal(r.code, 1)
  assert.match(r.stderr, new RegExp(`^Error: Unable to load server certificate "${dir}/none.crt"\\. Check certfile \\(${file}:2\\)\\.$`, 'm'))
  assert.equal(existsSync(pid), false)
})

test('tsbroker -d with a pid_file that cannot be written exits 1 at once, with the line, and leaves nothing running', async () => {
  const dir = tmp()
  const port = await freePort()
  const started = Date.now()
  const r = await runCli('tsbroker', ['-d', '-c', conf(dir, [`listener ${port} 127.0.0.1`, `pid_file ${dir}/missing/d.pid`])], { timeoutMs: 10_000 })
  assert.equal(r.timedOut, false)
  assert.ok(Date.now() - started < 8000)
  assert.equal(r.code, 1)
  assert.match(r.stderr, /Error: Unable to write pid file/)
  assert.ok(await refused(port))
})

test('a clean shutdown removes the --port-file (and the pid_file)', async (t) => {
  const dir = tmp()
  const [portFile, pid] = [join(dir, 'port'), join(dir, 't.pid')]
  const b = await spawnTsbroker(t, ['-p', '0', '--port-file', portFile, '-c', conf(dir, [`pid_file ${pid}`])])
  assert.equal(readFileSync(portFile, 'utf8'), `${b.port}\n`)
  b.child.kill('SIGTERM')
  assert.deepEqual(await b.exited, { code: 0, signal: null })
  assert.deepEqual([existsSync(portFile), existsSync(pid)], [false, false])
})

test('log_dest syslog alone is not silent: one warning on stderr, then the log there', async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0', '-c', conf(tmp(), ['log_dest syslog'])])
  assert.match(b.stderr(), /^Warning: log_dest syslog is not supported by tsbroker \(Node\.js cannot write to the \/dev\/log datagram socket\); logging to stderr instead\.$/m)
  assert.match(b.stderr(), /^\d+: tsbroker version \S+ starting$/m)
})

test('max_connections in mosquitto.conf: the refusal is logged as mosquitto logs it', async (t) => {
  const port = await freePort()
  const b = await spawnTsbroker(t, ['-c', conf(tmp(), [`listener ${port} 127.0.0.1`, 'max_connections 1', 'allow_anonymous true'])])
  const first = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })
  t.after(() => first.endAsync())
  const second = net.connect(port, '127.0.0.1')
  second.on('error', () => {})
  await new Promise((r) => second.once('close', r)) // closed before any CONNACK
  for (let i = 0; i < 100 && !b.stderr().includes('max_connections exceeded'); i++) await new Promise((r) => setTimeout(r, 20))
  assert.match(b.stderr(), /^\d+: Client connection from 127\.0\.0\.1 denied: max_connections exceeded\.$/m)
})

const root = process.geteuid?.() === 0
test('user: started as root, the broker runs as that user once its listeners are bound', { skip: root ? false : 'needs root' }, async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0', '-c', conf(tmp(), ['user nobody'])])
  const status = readFileSync(`/proc/${b.pid}/status`, 'utf8')
  assert.match(status, /^Uid:\s+65534\s+65534\s+65534\s+65534$/m)
  assert.match(status, /^Gid:\s+65534\s/m)
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { reconnectPeriod: 0 })
  await c.endAsync()
})

test('user: an unknown user stops the start with mosquitto\'s line and nothing left behind', { skip: root ? false : 'needs root' }, async () => {
  const dir = tmp()
  const port = await freePort()
  const r = await runCli('tsbroker', ['-c', conf(dir, [`listener ${port} 127.0.0.1`, 'user no-such-user-tsmqtt', `pid_file ${dir}/t.pid`])], { timeoutMs: 8000 })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /^Error: Unable to drop privileges to 'no-such-user-tsmqtt' because this user does not exist\.$/m)
  assert.ok(await refused(port))
  assert.equal(existsSync(join(dir, 't.pid')), false)
})

test('a bridge whose CA file cannot be read stops the start, naming its connection line; nothing listens', async () => {
  const dir = tmp()
  const port = await freePort()
  const file = conf(dir, [`listener ${port} 127.0.0.1`, 'connection cloud', 'address 127.0.0.1:1', 'topic a/# out', `bridge_cafile ${dir}/missing.crt`])
  const r = await runCli('tsbroker', ['-c', file], { timeoutMs: 8000 })
  assert.equal(r.code, 1)
  assert.match(r.stderr, new RegExp(`^Error: Unable to load bridge cloud CA certificates\\. Check bridge_cafile "${dir}/missing\\.crt" \\(${file}:2\\)\\.$`, 'm'))
  assert.ok(await refused(port))
})
