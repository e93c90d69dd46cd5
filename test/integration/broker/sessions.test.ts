// Sessions: clean session/start, persistent subscriptions and offline queues, resend on resume,
// session expiry, message expiry.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConnackPacket, PublishPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { Inbox, VERSIONS, client, clientWithInbox, startBroker, until } from '../../helpers/broker-start.js'

function persistent(v: 4 | 5): Record<string, unknown> {
  return v === 5 ? { clean: false, properties: { sessionExpiryInterval: 300 } } : { clean: false }
}

for (const v of VERSIONS) {
  test(`v${v}: a persistent session keeps subscriptions and queues QoS 1/2 (not QoS 0) while offline`, async (t) => {
    const { url, broker } = await startBroker(t)
    const opts = { protocolVersion: v, clientId: 'durable', ...persistent(v) }
    const first = await client(t, url, opts)
    await first.subscribeAsync('p/#', { qos: 2 })
    await first.endAsync()
    assert.equal(broker.stats.clientsDisconnected, 1)
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('p/0', 'zero', { qos: 0 })
    await pub.publishAsync('p/1', 'one', { qos: 1 })
    await pub.publishAsync('p/2', 'two', { qos: 2 })
    assert.equal(broker.stats.storedMessages, 2)
    const { inbox, connack } = clientWithInbox(t, url, opts)
    assert.equal((await connack).sessionPresent, true)
    const got = [await inbox.next(), await inbox.next()]
    assert.deepEqual(got.map((m) => [m.topic, m.packet.qos]), [['p/1', 1], ['p/2', 2]])
    await inbox.none(150)
    assert.equal(broker.stats.clientsDisconnected, 0)
  })

  test(`v${v}: a clean session forgets subscriptions and reports no session present [MQTT-3.2.2-1]`, async (t) => {
    const { url, port } = await startBroker(t)
    const first = await client(t, url, { protocolVersion: v, clientId: 'c', ...persistent(v) })
    await first.subscribeAsync('x', { qos: 1 })
    await first.endAsync()
    const peer = await Peer.connected(t, port, v, 'c', { clean: true })
    assert.equal((peer.packets[0] as ConnackPacket).sessionPresent, false)
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('x', 'nobody', { qos: 1 })
    await assert.rejects(peer.next(150), /no packet/)
  })

  test(`v${v}: unacknowledged deliveries are resent with DUP after reconnect [MQTT-4.4.0-1]`, async (t) => {
    const { port, broker } = await startBroker(t)
    const a = await Peer.connected(t, port, v, 'resume', persistent(v))
    a.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'r', qos: 2 }] })
    await a.next()
    broker.publish({ topic: 'r', payload: Buffer.from('q1'), qos: 1 })
    broker.publish({ topic: 'r', payload: Buffer.from('q2'), qos: 2 })
    const p1 = await a.next() as PublishPacket
    const p2 = await a.next() as PublishPacket
    a.send({ cmd: 'pubrec', messageId: p2.messageId! })
    assert.equal((await a.next()).cmd, 'pubrel')
    a.socket.destroy()
    await until(() => broker.stats.clientsConnected === 0)
    const b = await Peer.connected(t, port, v, 'resume', persistent(v))
    assert.equal((b.packets[0] as ConnackPacket).sessionPresent, true)
    const again = await b.next() as PublishPacket
    assert.deepEqual([again.cmd, again.messageId, again.dup, again.payload.toString()], ['publish', p1.messageId, true, 'q1'])
    const rel = await b.next()
    assert.deepEqual([rel.cmd, (rel as { messageId: number }).messageId], ['pubrel', p2.messageId])
  })
}

test('max_queued_messages bounds the offline queue', async (t) => {
  const { url, broker } = await startBroker(t, { maxQueuedMessages: 3 })
  const sub = await client(t, url, { clientId: 'q', clean: false })
  await sub.subscribeAsync('o', { qos: 1 })
  await sub.endAsync()
  for (let i = 0; i < 5; i++) broker.publish({ topic: 'o', payload: Buffer.from(String(i)), qos: 1 })
  assert.equal(broker.stats.publishDropped, 2)
  const { inbox } = clientWithInbox(t, url, { clientId: 'q', clean: false })
  const got = [await inbox.next(), await inbox.next(), await inbox.next()].map((m) => m.payload.toString())
  assert.deepEqual(got, ['0', '1', '2'])
})

test('v5: session-expiry-interval ends an offline session when it passes', async (t) => {
  const clock = new ManualClock()
  clock.advance(1_000_000)
  const { port, broker } = await startBroker(t, { clock })
  const a = await Peer.connected(t, port, 5, 'exp', { clean: false, properties: { sessionExpiryInterval: 10 } })
  a.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x', qos: 1 }] })
  await a.next()
  a.socket.destroy()
  await until(() => broker.stats.clientsConnected === 0)
  clock.advance(9_000)
  const b = await Peer.connected(t, port, 5, 'exp', { clean: false, properties: { sessionExpiryInterval: 10 } })
  assert.equal((b.packets[0] as ConnackPacket).sessionPresent, true)
  b.socket.destroy()
  await until(() => broker.stats.clientsConnected === 0)
  clock.advance(10_000)
  const c = await Peer.connected(t, port, 5, 'exp', { clean: false })
  assert.equal((c.packets[0] as ConnackPacket).sessionPresent, false)
})

test('v5: session expiry 0 (the default) ends the session with the connection', async (t) => {
  const { port, broker } = await startBroker(t)
  const a = await Peer.connected(t, port, 5, 'zero', { clean: false })
  a.socket.destroy()
  await until(() => broker.stats.clientsConnected === 0)
  const b = await Peer.connected(t, port, 5, 'zero', { clean: false })
  assert.equal((b.packets[0] as ConnackPacket).sessionPresent, false)
})

test('v5: DISCONNECT may shorten the session expiry; extending a 0 expiry is a protocol error [MQTT-3.14.2-2]', async (t) => {
  const { port } = await startBroker(t)
  const a = await Peer.connected(t, port, 5, 'shorten', { clean: false, properties: { sessionExpiryInterval: 300 } })
  a.send({ cmd: 'disconnect', properties: { sessionExpiryInterval: 0 } })
  await a.closedWithin()
  const b = await Peer.connected(t, port, 5, 'shorten', { clean: false })
  assert.equal((b.packets[0] as ConnackPacket).sessionPresent, false)
  b.send({ cmd: 'disconnect', properties: { sessionExpiryInterval: 60 } })
  const last = await b.closedWithin()
  assert.deepEqual(last.map((p) => [p.cmd, (p as { reasonCode?: number }).reasonCode]), [['disconnect', 0x82]])
})

test('v5: message-expiry-interval counts down while queued and expired messages are dropped [MQTT-3.3.2-5], [MQTT-3.3.2-6]', async (t) => {
  const clock = new ManualClock()
  clock.advance(5_000_000)
  const { port, broker } = await startBroker(t, { clock })
  const opts = { clean: false, properties: { sessionExpiryInterval: 3600 } }
  const a = await Peer.connected(t, port, 5, 'mexp', opts)
  a.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'm/#', qos: 1 }] })
  await a.next()
  a.socket.destroy()
  await until(() => broker.stats.clientsConnected === 0)
  broker.publish({ topic: 'm/short', payload: Buffer.from('s'), qos: 1, properties: { messageExpiryInterval: 5 } })
  broker.publish({ topic: 'm/long', payload: Buffer.from('l'), qos: 1, properties: { messageExpiryInterval: 100 } })
  clock.advance(30_000)
  const b = await Peer.connected(t, port, 5, 'mexp', opts)
  const p = await b.next() as PublishPacket
  assert.equal(p.topic, 'm/long')
  assert.equal(p.properties?.messageExpiryInterval, 70)
  await assert.rejects(b.next(150), /no packet/)
})

test('v5: an expired retained message is not delivered', async (t) => {
  const clock = new ManualClock()
  clock.advance(1_000)
  const { url, broker } = await startBroker(t, { clock })
  broker.publish({ topic: 'rx', payload: Buffer.from('x'), qos: 1, retain: true, properties: { messageExpiryInterval: 2 } })
  clock.advance(2_000)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('rx', { qos: 1 })
  await inbox.none(150)
  assert.equal(broker.stats.retainedCount, 0)
})
