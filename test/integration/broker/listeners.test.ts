// Every listener kind of the broker library, in-process, as a test suite would use them: TLS and WebSocket
// (plain and TLS) with material as bytes or paths, client certificates, identity as username, a minimum TLS
// version, CA directories, max_connections, and close() ending them all.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerOptions, LogLevel } from '../../../src/broker/options.js'
import { connect } from '../../../src/client/client.js'
import { haveOpenssl, makeCerts } from '../../helpers/certs.js'
import { until } from '../../helpers/broker-start.js'

const skip = haveOpenssl ? false : 'openssl not installed'

function start(t: TestContext, o: BrokerOptions = {}): { broker: Broker; logs: string[] } {
  const logs: string[] = []
  const broker = createBroker({ logger: (_l: LogLevel, line) => logs.push(line), ...o })
  t.after(() => broker.close())
  return { broker, logs }
}

test('a test suite starts createBroker() with a TLS and a WebSocket listener in-process', { skip }, async (t) => {
  const dir = makeCerts()
  const { broker } = start(t)
  // TLS material as bytes or as paths, whichever the test has at hand.
  const secure = await broker.listen({
    type: 'tls', port: 0, host: '127.0.0.1',
    tls: { cert: readFileSync(join(dir, 'server.crt')), key: join(dir, 'server.key') },
  })
  const ws = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })
  assert.deepEqual([secure.type, ws.type], ['tls', 'ws'])
  const ca = readFileSync(join(dir, 'ca.crt'))
  const sub = await connect(`mqtts://127.0.0.1:${secure.port}`, { tls: { ca }, clientId: 'tls-sub' })
  t.after(() => sub.destroy())
  const got = new Promise<string>((resolve) => { sub.onMessage = (m) => resolve(`${m.topic} ${m.payload.toString()}`) })
  await sub.subscribe([{ topic: 'a/#', qos: 1 }])
  const pub = await connect(`ws://127.0.0.1:${ws.port}/anything`, { clientId: 'ws-pub' }) // any path, as mosquitto
  await pub.publish('a/b', 'over ws to tls', { qos: 1 })
  assert.equal(await got, 'a/b over ws to tls')
  await pub.disconnect()
})

test('MQTT.js over WebSocket (v3.1.1 and v5) reaches an in-process broker, both ways', async (t) => {
  const { broker } = start(t)
  const ws = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })
  for (const protocolVersion of [4, 5] as const) {
    const a = await mqtt.connectAsync(`ws://127.0.0.1:${ws.port}/mqtt`, { protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 })
    const b = await connect(`ws://127.0.0.1:${ws.port}`, { protocolVersion })
    const seen = new Promise<string>((resolve) => a.on('message', (topic, payload) => resolve(`${topic} ${payload.length}`)))
    await a.subscribeAsync('big', { qos: 2 })
    await b.publish('big', Buffer.alloc(200_000, 'x'), { qos: 2 }) // many WebSocket frames
    assert.equal(await seen, 'big 200000')
    await b.disconnect()
    await a.endAsync()
  }
})

test('wss with require_certificate and use_identity_as_username: the certificate CN is the username', { skip }, async (t) => {
  const dir = makeCerts()
  const users: (string | undefined)[] = []
  let authenticated = 0
  const { broker } = start(t, {
    hooks: { authenticate: () => { authenticated++; return { ok: false, reasonCode: 135 } }, authorizePublish: (c) => { users.push(c.username); return true } },
  })
  const wss = await broker.listen({
    type: 'wss', port: 0, host: '127.0.0.1',
    tls: { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt'), requireCertificate: true, useIdentityAsUsername: true },
  })
  const read = (f: string) => readFileSync(join(dir, f))
  const c = await connect(`wss://127.0.0.1:${wss.port}`, { tls: { ca: read('ca.crt'), cert: read('client.crt'), key: read('client.key') }, username: 'ignored', password: 'ignored' })
  await c.publish('t', 'x', { qos: 1 })
  await c.disconnect()
  assert.deepEqual(users, ['client'])
  assert.equal(authenticated, 0, 'the certificate is the authentication, as mosquitto')
  await assert.rejects(connect(`wss://127.0.0.1:${wss.port}`, { tls: { ca: read('ca.crt') } }), { code: 'ERR_TLS' })
})

test('tls_version is the lowest version accepted; capath is a directory of CAs', { skip }, async (t) => {
  const dir = makeCerts()
  const cas = join(dir, 'cas')
  mkdirSync(cas)
  copyFileSync(join(dir, 'ca.crt'), join(cas, 'ca.pem'))
  const { broker } = start(t)
  const l = await broker.listen({
    type: 'tls', port: 0, host: '127.0.0.1',
    tls: { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), caPath: cas, requireCertificate: true, version: 'tlsv1.3' },
  })
  const read = (f: string) => readFileSync(join(dir, f))
  const client = { ca: read('ca.crt'), cert: read('client.crt'), key: read('client.key') }
  const ok = await connect(`mqtts://127.0.0.1:${l.port}`, { tls: client })
  await ok.disconnect()
  await assert.rejects(connect(`mqtts://127.0.0.1:${l.port}`, { tls: { ...client, maxVersion: 'TLSv1.2' } }), { code: 'ERR_TLS' })
})

test('max_connections admits N and refuses the next before CONNACK, with mosquitto\'s log line (issue 10 item 7)', async (t) => {
  const { broker, logs } = start(t)
  const l = await broker.listen({ port: 0, host: '127.0.0.1', maxConnections: 1 })
  const first = await connect(`mqtt://127.0.0.1:${l.port}`)
  const refused = net.connect(l.port, '127.0.0.1')
  refused.on('error', () => {})
  await new Promise((r) => refused.once('close', r))
  assert.ok(logs.includes('Client connection from 127.0.0.1 denied: max_connections exceeded.'), logs.join('\n'))
  await first.disconnect()
  await until(() => broker.stats.clientsConnected === 0)
  const again = await connect(`mqtt://127.0.0.1:${l.port}`) // the slot is free again
  await again.disconnect()
})

test('close() ends every listener kind, WebSocket clients included, and listen() after close fails', { skip }, async () => {
  const dir = makeCerts()
  const broker = createBroker()
  const tlsSpec = { cert: join(dir, 'server.crt'), key: join(dir, 'server.key') }
  const addrs = await Promise.all([
    broker.listen({ port: 0, host: '127.0.0.1' }),
    broker.listen({ type: 'tls', port: 0, host: '127.0.0.1', tls: tlsSpec }),
    broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' }),
    broker.listen({ type: 'wss', port: 0, host: '127.0.0.1', tls: tlsSpec }),
  ])
  const ca = readFileSync(join(dir, 'ca.crt'))
  const clients = await Promise.all([
    connect(`mqtt://127.0.0.1:${addrs[0]!.port}`), connect(`mqtts://127.0.0.1:${addrs[1]!.port}`, { tls: { ca } }),
    connect(`ws://127.0.0.1:${addrs[2]!.port}`), connect(`wss://127.0.0.1:${addrs[3]!.port}`, { tls: { ca } }),
  ])
  const started = Date.now()
  await broker.close()
  assert.ok(Date.now() - started < 1900, 'no socket waited for the grace period')
  for (const c of clients) assert.ok(await c.closed) // each saw its connection end
  for (const a of addrs) {
    await assert.rejects(new Promise((resolve, reject) => {
      const s = net.connect(a.port, '127.0.0.1', () => { s.destroy(); resolve(undefined) })
      s.on('error', reject)
    }), { code: 'ECONNREFUSED' })
  }
  await assert.rejects(broker.listen({ port: 0 }), { code: 'ERR_BROKER_CLOSED' })
})

test('TLS material that cannot be read names the file, as mosquitto does', async (t) => {
  const { broker } = start(t)
  await assert.rejects(broker.listen({ type: 'tls', port: 0, tls: { cert: '/nonexistent/s.crt', key: '/nonexistent/s.key' } }),
    { code: 'ERR_LISTENER', message: 'Unable to load server certificate "/nonexistent/s.crt". Check certfile.' })
  await assert.rejects(broker.listen({ type: 'wss', port: 0, tls: { cert: Buffer.from('x'), key: Buffer.from('y'), caPath: '/nonexistent' } }),
    { code: 'ERR_LISTENER', message: 'Unable to load CA certificates. Check capath "/nonexistent".' })
})
