// Exit codes and stderr of tspub/tssub for refused logins, network failures, timeouts and signals,
// against a scripted fake broker that answers with a chosen CONNACK.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { runCli, cleanEnv, binPath } from '../helpers/run-cli.js'
import { startDroppingBroker, startFakeBroker } from '../helpers/fake-broker.js'
import { freePort } from '../helpers/mosquitto.js'

const conn = (port: number) => ['-h', '127.0.0.1', '-p', String(port)]

const refusals: ReadonlyArray<[version: string, code: number, pubErr: string, subErr: string]> = [
  ['31', 5, 'Connection error: Connection Refused: not authorised.\nError: The connection was refused.\n', 'Connection error: Connection Refused: not authorised.\n'],
  ['311', 4, 'Connection error: Connection Refused: bad user name or password.\nError: The connection was refused.\n', 'Connection error: Connection Refused: bad user name or password.\n'],
  ['311', 2, 'Connection error: Connection Refused: identifier rejected.\nError: The connection was refused.\n', 'Connection error: Connection Refused: identifier rejected.\n'],
  ['5', 135, 'Connection error: Not authorized\nError: A network protocol error occurred when communicating with the broker.\n', 'Connection error: Not authorized\n'],
  ['5', 134, 'Connection error: Bad User Name or Password\nError: A network protocol error occurred when communicating with the broker.\n', 'Connection error: Bad User Name or Password\n'],
  ['5', 140, 'Connection error: Bad authentication method\nError: A network protocol error occurred when communicating with the broker.\n', 'Connection error: Bad authentication method\n'],
]

for (const [version, code, pubErr, subErr] of refusals) {
  test(`a CONNACK refusal ${code} (MQTT ${version}) exits ${code} from tspub and tssub`, async (t) => {
    const fake = await startFakeBroker(t, { connack: code })
    const pub = await runCli('tspub', [...conn(fake.port), '-V', version, '-t', 'a', '-m', 'x', '-u', 'u', '-P', 'p'])
    assert.equal(pub.code, code)
    assert.equal(pub.stderr, pubErr)
    const sub = await runCli('tssub', [...conn(fake.port), '-V', version, '-t', 'a', '-u', 'u', '-P', 'p'])
    assert.equal(sub.code, code)
    assert.equal(sub.stderr, subErr)
  })
}

test('--quiet silences the connection error but keeps the exit code', async (t) => {
  const fake = await startFakeBroker(t, { connack: 5 })
  const r = await runCli('tspub', [...conn(fake.port), '--quiet', '-t', 'a', '-m', 'x'])
  assert.equal(r.code, 5)
  assert.equal(r.stderr, '')
})

test('a refused TCP connection exits 1 with the OS text', async () => {
  const port = await freePort()
  for (const tool of ['tspub', 'tssub'] as const) {
    const r = await runCli(tool, [...conn(port), '-t', 'a', ...(tool === 'tspub' ? ['-m', 'x'] : [])])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'Error: Connection refused\n')
  }
})

test('tssub -W exits 27 with "Timed out" even after printing messages', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => {
      if (p.cmd === 'subscribe') {
        send({ cmd: 'suback', messageId: p.messageId!, granted: [0] })
        send({ cmd: 'publish', topic: 'a', payload: Buffer.from('one'), qos: 0, retain: false, dup: false })
      }
    },
  })
  const r = await runCli('tssub', [...conn(fake.port), '-t', 'a', '-W', '1'])
  assert.equal(r.code, 27)
  assert.equal(r.stdout.toString(), 'one\n')
  assert.equal(r.stderr, 'Timed out\n')
})

test('tssub: all subscriptions denied prints mosquitto\'s line and exits 0', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => { if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: [0x80] }) },
  })
  const r = await runCli('tssub', [...conn(fake.port), '-t', 'a'])
  assert.equal(r.code, 0)
  assert.equal(r.stderr, 'All subscription requests were denied.\n')
})

test('tssub sends one SUBSCRIBE with every -t, then one UNSUBSCRIBE per -U; -E exits after SUBACK', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => {
      if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: p.subscriptions.map(() => 1) })
      if (p.cmd === 'unsubscribe') send({ cmd: 'unsuback', messageId: p.messageId!, granted: [] })
    },
  })
  const r = await runCli('tssub', [...conn(fake.port), '-q', '1', '-t', 'a', '-t', 'b/#', '-U', 'x', '-U', 'y', '-E'])
  assert.equal(r.code, 0)
  const cmds = fake.received.map((p) => p.cmd)
  assert.deepEqual(cmds, ['connect', 'subscribe', 'unsubscribe', 'unsubscribe', 'disconnect'])
  const sub = fake.received[1]
  assert.ok(sub?.cmd === 'subscribe')
  assert.deepEqual(sub.subscriptions.map((s) => [s.topic, s.qos]), [['a', 1], ['b/#', 1]])
})

test('tssub reconnects and resubscribes after the broker drops the connection', async (t) => {
  let subscribes = 0
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => {
      if (p.cmd !== 'subscribe') return
      subscribes++
      send({ cmd: 'suback', messageId: p.messageId!, granted: [0] })
      if (subscribes === 1) {
        for (const s of fake.sockets) s.destroy() // drop the first connection
      } else {
        send({ cmd: 'publish', topic: 'a', payload: Buffer.from('after reconnect'), qos: 0, retain: false, dup: false })
      }
    },
  })
  const r = await runCli('tssub', [...conn(fake.port), '-t', 'a', '-C', '1'], { timeoutMs: 8000 })
  assert.equal(r.code, 0)
  assert.equal(r.stdout.toString(), 'after reconnect\n')
  assert.equal(subscribes, 2)
})

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`tssub on ${sig} after CONNACK sends DISCONNECT (v5 reason 0x04) and exits 0`, async (t) => {
    let subscribed!: () => void
    const ready = new Promise<void>((r) => { subscribed = r })
    const fake = await startFakeBroker(t, {
      connack: 0,
      onPacket: (p, send) => { if (p.cmd === 'subscribe') { send({ cmd: 'suback', messageId: p.messageId!, granted: [0] }); subscribed() } },
    })
    const child = spawn(process.execPath, [binPath('tssub'), ...conn(fake.port), '-V', '5', '-t', 'a'], { env: cleanEnv(), stdio: 'ignore' })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    await ready
    child.kill(sig)
    assert.equal(await exited, 0)
    const last = fake.received.at(-1)
    assert.ok(last?.cmd === 'disconnect')
    assert.equal(last.reasonCode, 0x04)
  })
}

test('tssub interrupted before CONNACK exits 255, printing nothing', async (t) => {
  const fake = await startFakeBroker(t, {}) // never answers CONNECT
  let connected!: () => void
  const seen = new Promise<void>((r) => { connected = r })
  const poll = setInterval(() => { if (fake.received.length > 0) connected() }, 10)
  const child = spawn(process.execPath, [binPath('tssub'), ...conn(fake.port), '-t', 'a'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  await seen
  clearInterval(poll)
  child.kill('SIGINT')
  assert.equal(await exited, 255)
  assert.equal(stderr, '')
})

test('tspub QoS 1 does not exit before the PUBACK, and a v5 PUBACK failure is a warning with exit 0', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => {
      if (p.cmd === 'publish') setTimeout(() => send({ cmd: 'puback', messageId: p.messageId!, reasonCode: 135, properties: { reasonString: 'acl says no' } }), 200)
    },
  })
  const started = Date.now()
  const r = await runCli('tspub', [...conn(fake.port), '-V', '5', '-q', '1', '-t', 'a', '-m', 'x'])
  assert.ok(Date.now() - started >= 200, 'waited for the PUBACK')
  assert.equal(r.code, 0)
  assert.equal(r.stderr, 'Warning: Publish 1 failed: Not authorized.\nacl says no\n')
  assert.deepEqual(fake.received.map((p) => p.cmd), ['connect', 'publish', 'disconnect'])
})

test('tspub -l sends every line over one connection, including empty lines and an unterminated last line', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => { if (p.cmd === 'publish' && p.qos === 1) send({ cmd: 'puback', messageId: p.messageId! }) },
  })
  const r = await runCli('tspub', [...conn(fake.port), '-q', '1', '-t', 'a', '-l'], { stdin: Buffer.from('one\r\n\n\u0000bin\ntail') })
  assert.equal(r.code, 0)
  const payloads = fake.received.flatMap((p) => (p.cmd === 'publish' ? [Buffer.from(p.payload as Buffer).toString('latin1')] : []))
  assert.deepEqual(payloads, ['one\r', '', '\u0000bin', 'tail'])
  assert.equal(fake.received.filter((p) => p.cmd === 'connect').length, 1)
})

test('tspub -l on empty stdin connects, disconnects and exits 0', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0 })
  const r = await runCli('tspub', [...conn(fake.port), '-t', 'a', '-l'], { stdin: '' })
  assert.equal(r.code, 0)
  assert.deepEqual(fake.received.map((p) => p.cmd), ['connect', 'disconnect'])
})

test('tspub gives up with exit 19 when no CONNACK arrives within the keepalive', async (t) => {
  const fake = await startFakeBroker(t, {})
  const r = await runCli('tspub', [...conn(fake.port), '-k', '5', '-t', 'a', '-m', 'x'], { timeoutMs: 9000 })
  assert.equal(r.code, 19)
  assert.equal(r.stderr, 'Error: Keepalive exceeded\n')
})

test('--help and --version exit 0 and print to stdout', async () => {
  for (const tool of ['tspub', 'tssub'] as const) {
    const help = await runCli(tool, ['--help'])
    assert.equal(help.code, 0)
    assert.match(help.stdout.toString(), new RegExp(`^${tool} is a simple mqtt client`, "i"))
    const version = await runCli(tool, ['--version'])
    assert.equal(version.code, 0)
    assert.match(version.stdout.toString(), new RegExp(`^${tool} version \\d+\\.\\d+\\.\\d+ running on Node\\.js v`))
  }
})

test('messages that arrive right after CONNACK (a resumed session) are printed, not lost', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    afterConnack: (send) => {
      for (const id of [1, 2]) send({ cmd: 'publish', topic: 'a', payload: Buffer.from(`queued ${id}`), qos: 1, messageId: id, retain: false, dup: false })
    },
    onPacket: (p, send) => { if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: [1] }) },
  })
  const r = await runCli('tssub', [...conn(fake.port), '-c', '-i', 'resumed', '-q', '1', '-t', 'a', '-C', '2'], { timeoutMs: 5000 })
  assert.equal(r.code, 0)
  assert.equal(r.stdout.toString(), 'queued 1\nqueued 2\n')
})

test('tspub -l reconnects when the connection drops and publishes the unacknowledged lines again', async (t) => {
  const fake = await startDroppingBroker(t) // it "restarts" at the first publish
  const r = await runCli('tspub', [...conn(fake.port), '-q', '1', '-t', 'a', '-l'], { stdin: 'one\ntwo\n', timeoutMs: 8000 })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(fake.connections(), 2)
  assert.deepEqual(fake.byConnection[2], ['one', 'two'])
})

test('-D disconnect properties ride on the DISCONNECT of tspub and tssub', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => { if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: [0] }) },
  })
  const props = ['-D', 'disconnect', 'user-property', 'bye', 'now', '-D', 'disconnect', 'session-expiry-interval', '0']
  assert.equal((await runCli('tspub', [...conn(fake.port), ...props, '-t', 'a', '-m', 'x'])).code, 0)
  assert.equal((await runCli('tssub', [...conn(fake.port), ...props, '-t', 'a', '-E'])).code, 0)
  const disconnects = fake.received.filter((p) => p.cmd === 'disconnect')
  assert.equal(disconnects.length, 2)
  for (const d of disconnects) {
    assert.ok(d.cmd === 'disconnect')
    assert.deepEqual({ ...d.properties?.userProperties }, { bye: 'now' })
    assert.equal(d.properties?.sessionExpiryInterval, 0)
  }
})
