// Listeners (tcp, unix), handle() over a duplex pair, inline publish, stats, close().
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { duplexPair } from 'node:stream'
import { test } from 'node:test'
import { createBroker } from '../../../src/broker/broker.js'
import { createDecoder, encode, type Packet } from '../../../src/codec/index.js'
import { Inbox, client, startBroker, until } from '../../helpers/broker-start.js'

test('listen on a unix socket path', async (t) => {
  const broker = createBroker()
  t.after(() => broker.close())
  const path = join(mkdtempSync(join(tmpdir(), 'tsbroker-')), 'mqtt.sock')
  const addr = await broker.listen({ path })
  assert.deepEqual(addr, { kind: 'unix', type: 'unix', path, id: path })
  const sock = net.connect(path)
  const got: Packet[] = []
  const dec = createDecoder(4, (p) => got.push(p), () => {})
  sock.on('data', (c: Buffer) => dec.push(c))
  sock.write(encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'u', clean: true, keepalive: 0 }, 4))
  await until(() => got.length > 0)
  assert.equal(got[0]!.cmd, 'connack')
  sock.destroy()
})

test('handle() serves an in-memory duplex stream', async (t) => {
  const broker = createBroker()
  t.after(() => broker.close())
  const [mine, theirs] = duplexPair()
  broker.handle(theirs, { remoteAddress: 'test', listener: 'mem' })
  const got: Packet[] = []
  const dec = createDecoder(5, (p) => got.push(p), () => {})
  mine.on('data', (c: Buffer) => dec.push(c))
  mine.write(encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'm', clean: true, keepalive: 0 }, 5))
  mine.write(encode({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 't', qos: 0 }] }, 5))
  await until(() => got.length >= 2)
  broker.publish({ topic: 't', payload: Buffer.from('inline') })
  await until(() => got.length >= 3)
  assert.deepEqual(got.map((p) => p.cmd), ['connack', 'suback', 'publish'])
  mine.end()
})

test('stats follow connections, packets, bytes, publishes, subscriptions and retained messages', async (t) => {
  const { url, broker } = await startBroker(t)
  const s = broker.stats
  const a = await client(t, url, { clientId: 'a' })
  const b = await client(t, url, { clientId: 'b' })
  const inbox = new Inbox(b)
  await b.subscribeAsync(['s/1', 's/2'], { qos: 1 })
  await a.publishAsync('s/1', 'hello', { qos: 1, retain: true })
  await inbox.next()
  assert.equal(s.clientsConnected, 2)
  assert.equal(s.clientsMaximum, 2)
  assert.equal(s.connectionsTotal, 2)
  assert.equal(s.subscriptionsCount, 2)
  assert.equal(s.retainedCount, 1)
  assert.equal(s.publishReceived, 1)
  assert.equal(s.publishBytesReceived, 5)
  await until(() => s.publishSent === 1 && s.storedMessages === 1) // PUBACK from b settles the delivery
  assert.equal(s.publishBytesSent, 5)
  // CONNECT×2, SUBSCRIBE, PUBLISH, PUBACK from b
  await until(() => s.messagesReceived === 5)
  assert.ok(s.bytesReceived > 0 && s.bytesSent > 0)
  assert.equal(s.messagesSent, 5) // CONNACK×2, SUBACK, PUBACK to a, PUBLISH to b
  await a.endAsync()
  await until(() => s.clientsConnected === 1)
  assert.equal(s.clientsMaximum, 2)
})

test('close() stops listening, closes clients and resolves when every socket is gone', async (t) => {
  const { broker, url, port } = await startBroker(t)
  const c = await client(t, url, { protocolVersion: 5 })
  const reason = new Promise<number | undefined>((r) => c.once('disconnect', (p) => r(p.reasonCode)))
  await broker.close()
  assert.equal(await reason, 0x8b)
  assert.equal(broker.stats.clientsConnected, 0)
  await assert.rejects(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject)))
})

test('close() publishes connected clients\' wills before it ends the other connections', async (t) => {
  const { broker, url } = await startBroker(t, { hooks: { authorizePublish: async () => true } })
  const watcher = await client(t, url, { clientId: 'watcher' })
  const inbox = new Inbox(watcher)
  await watcher.subscribeAsync('wills/#', { qos: 1 })
  await client(t, url, { clientId: 'dying', will: { topic: 'wills/dying', payload: Buffer.from('gone'), qos: 1, retain: false } })
  const closing = broker.close()
  assert.equal((await inbox.next()).topic, 'wills/dying')
  await closing
})
