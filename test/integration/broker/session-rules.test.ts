// Session rules at the packet level, exact bytes where the rule is about bytes.
//
// | rule                                                                          | spec          | test |
// |-------------------------------------------------------------------------------|---------------|------|
// | takeover continuing the session: the old connection's will is not published   | 3.1.4, 3.1.3.2 (v5), 3.1.4 (3.1.1) | 1 |
// | takeover with a clean start: the old connection's will is published            | 3.1.4          | 2 |
// | the old connection gets DISCONNECT 0x8E on takeover                            | [MQTT-3.1.4-3] (v5) | 1 |
// | PUBACK for a QoS 2 message / PUBCOMP for a QoS 1 message: protocol error       | §4.13.1 (v5), §4.8 (3.1.1) | 3, 4 |
// | more unacknowledged QoS 1/2 PUBLISHes than Receive Maximum: DISCONNECT 0x93    | [MQTT-3.3.4-7], §4.9 (v5) | 5 |
// | the CONNACK announces the broker's Receive Maximum                             | §3.2.2.3.3 (v5) | 5 |
// | outbound topic aliases: never above the client's Topic Alias Maximum           | [MQTT-3.3.2-9] (v5) | 6 |
// | no outbound aliases to a client whose Topic Alias Maximum is 0 (absent)        | §3.1.2.11.5 (v5) | 7 |
// | an alias above the broker's announced maximum (max_topic_alias 0): 0x94        | [MQTT-3.3.2-8] (v5) | 7 |
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConnackPacket, PublishPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { startBroker } from '../../helpers/broker-start.js'

const will = { topic: 'will/t', payload: Buffer.from('gone'), qos: 0 as const, retain: false }

for (const v of [4, 5] as const) {
  const persistent = v === 5 ? { clean: false, properties: { sessionExpiryInterval: 60 } } : { clean: false }

  test(`v${v}: a takeover that continues the session does not publish the old connection's will (spec 3.1.4)`, async (t) => {
    const { port } = await startBroker(t)
    const watcher = await Peer.connected(t, port, v, 'watcher')
    watcher.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'will/#', qos: 0 }] })
    await watcher.next()
    const old = await Peer.connected(t, port, v, 'same', { ...persistent, will })
    const fresh = await Peer.connected(t, port, v, 'same', persistent)
    assert.equal((fresh.packets[0] as ConnackPacket).sessionPresent, true)
    const last = await old.closedWithin()
    if (v === 5) assert.deepEqual(last.map((p) => [p.cmd, (p as { reasonCode?: number }).reasonCode]), [['disconnect', 0x8e]]) // [MQTT-3.1.4-3]
    else assert.deepEqual(last, [])
    await assert.rejects(watcher.next(200), /no packet/, 'no will')
  })

  test(`v${v}: a takeover with a clean start publishes the old connection's will (its session ends)`, async (t) => {
    const { port } = await startBroker(t)
    const watcher = await Peer.connected(t, port, v, 'watcher')
    watcher.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'will/#', qos: 0 }] })
    await watcher.next()
    await Peer.connected(t, port, v, 'same', { ...persistent, will })
    await Peer.connected(t, port, v, 'same', { clean: true })
    const m = await watcher.next() as PublishPacket
    assert.deepEqual([m.topic, m.payload.toString()], ['will/t', 'gone'])
  })

  test(`v${v}: PUBACK for a QoS 2 delivery is a protocol error${v === 5 ? ': DISCONNECT 0x82' : ': the connection is closed'}`, async (t) => {
    const { port, broker } = await startBroker(t)
    const sub = await Peer.connected(t, port, v, 'wrong-ack')
    sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x', qos: 2 }] })
    await sub.next()
    broker.publish({ topic: 'x', payload: Buffer.from('p'), qos: 2 })
    const p = await sub.next() as PublishPacket
    sub.write([0x40, 0x02, p.messageId! >> 8, p.messageId! & 0xff]) // PUBACK with the QoS 2 message's id
    const last = await sub.closedWithin()
    assert.deepEqual(last.map((x) => [x.cmd, (x as { reasonCode?: number }).reasonCode]), v === 5 ? [['disconnect', 0x82]] : [])
  })

  test(`v${v}: PUBCOMP for a QoS 1 delivery is a protocol error`, async (t) => {
    const { port, broker } = await startBroker(t)
    const sub = await Peer.connected(t, port, v, 'wrong-comp')
    sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x', qos: 1 }] })
    await sub.next()
    broker.publish({ topic: 'x', payload: Buffer.from('p'), qos: 1 })
    const p = await sub.next() as PublishPacket
    sub.write([0x70, 0x02, p.messageId! >> 8, p.messageId! & 0xff])
    const last = await sub.closedWithin()
    assert.deepEqual(last.map((x) => [x.cmd, (x as { reasonCode?: number }).reasonCode]), v === 5 ? [['disconnect', 0x82]] : [])
  })
}

test('v5: the CONNACK announces Receive Maximum; one QoS 2 PUBLISH too many gets DISCONNECT 0x93 [MQTT-3.3.4-7]', async (t) => {
  const { port } = await startBroker(t, { maxInflightMessages: 3 })
  const pub = await Peer.connected(t, port, 5, 'greedy')
  assert.equal((pub.packets[0] as ConnackPacket).properties?.receiveMaximum, 3)
  for (let id = 1; id <= 3; id++) pub.send({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 2, messageId: id, retain: false, dup: false })
  for (let i = 0; i < 3; i++) assert.equal((await pub.next()).cmd, 'pubrec') // three QoS 2 flows open: no PUBREL yet
  pub.send({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 2, messageId: 2, retain: false, dup: true })
  assert.equal((await pub.next()).cmd, 'pubrec', 'a resend of an open flow is not a new message')
  pub.send({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: 4, retain: false, dup: false })
  const last = await pub.closedWithin()
  assert.deepEqual(last.map((x) => [x.cmd, (x as { reasonCode?: number }).reasonCode]), [['disconnect', 0x93]])
})

test('v5: the broker assigns topic aliases up to the client\'s Topic Alias Maximum, least recently used first (MQTT 5 §3.3.2.3.4, [MQTT-3.3.2-9])', async (t) => {
  const { port, broker } = await startBroker(t)
  const sub = await Peer.connected(t, port, 5, 'aliased', { properties: { topicAliasMaximum: 2 } })
  assert.equal((sub.packets[0] as ConnackPacket).properties?.topicAliasMaximum, 10, 'max_topic_alias, announced')
  sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '#', qos: 1 }] })
  await sub.next()
  const raw: Buffer[] = []
  sub.socket.on('data', (c: Buffer) => raw.push(c))
  for (const topic of ['sensors/a', 'sensors/a', 'sensors/b', 'sensors/c', 'sensors/a']) broker.publish({ topic, payload: Buffer.from('v') })
  const got = [] as PublishPacket[]
  for (let i = 0; i < 5; i++) got.push(await sub.next() as PublishPacket)
  assert.deepEqual(got.map((p) => [p.topic, p.properties?.topicAlias]), [
    ['sensors/a', 1], ['', 1], ['sensors/b', 2], ['sensors/c', 1], ['sensors/a', 2],
  ])
  // the second PUBLISH on the wire: QoS 0, empty topic, properties length 3 (topic alias 1), payload 'v'
  assert.deepEqual([...Buffer.concat(raw).subarray(18, 27)], [0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, 0x76])
  broker.publish({ topic: 'sensors/b', payload: Buffer.from('q1'), qos: 1 })
  const q1 = await sub.next() as PublishPacket
  assert.deepEqual([q1.qos, q1.topic, q1.properties?.topicAlias], [1, 'sensors/b', 1], 'QoS 1 deliveries are aliased too')
})

test('v5: no aliases towards a client that did not ask for them; max_topic_alias 0 announces none and refuses the client\'s', async (t) => {
  const { port, broker } = await startBroker(t, { maxTopicAlias: 0 })
  const sub = await Peer.connected(t, port, 5, 'plain', { properties: { topicAliasMaximum: 5 } })
  assert.equal((sub.packets[0] as ConnackPacket).properties?.topicAliasMaximum, undefined)
  sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 't', qos: 0 }] })
  await sub.next()
  broker.publish({ topic: 't', payload: Buffer.from('x') })
  broker.publish({ topic: 't', payload: Buffer.from('x') })
  const ps = [await sub.next(), await sub.next()] as PublishPacket[]
  assert.deepEqual(ps.map((p) => [p.topic, p.properties?.topicAlias]), [['t', undefined], ['t', undefined]])
  sub.send({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } })
  const last = await sub.closedWithin()
  assert.deepEqual(last.map((x) => [x.cmd, (x as { reasonCode?: number }).reasonCode]), [['disconnect', 0x94]])
})
