// QoS 0/1/2 end to end, downgrade, exactly-once in both directions, per-client ids, the inflight window.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PublishPacket } from '../../../src/codec/index.js'
import { Inbox, VERSIONS, client, startBroker, until } from '../../helpers/broker-start.js'
import { Peer } from '../../helpers/broker-peer.js'

for (const v of VERSIONS) {
  for (const qos of [0, 1, 2] as const) {
    test(`v${v}: a QoS ${qos} message reaches a QoS 2 subscriber at QoS ${qos}`, async (t) => {
      const { url } = await startBroker(t)
      const sub = await client(t, url, { protocolVersion: v, clientId: 'sub' })
      const inbox = new Inbox(sub)
      await sub.subscribeAsync('q/#', { qos: 2 })
      const pub = await client(t, url, { protocolVersion: v, clientId: 'pub' })
      await pub.publishAsync('q/x', Buffer.from([0, 1, 2, 255]), { qos })
      const m = await inbox.next()
      assert.equal(m.topic, 'q/x')
      assert.deepEqual([...m.payload], [0, 1, 2, 255])
      assert.equal(m.packet.qos, qos)
      assert.equal(m.packet.retain, false)
    })
  }

  test(`v${v}: delivery is downgraded to the subscription QoS [MQTT-3.8.4-6]`, async (t) => {
    const { url } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('d', { qos: 1 })
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('d', 'x', { qos: 2 })
    assert.equal((await inbox.next()).packet.qos, 1)
  })

  test(`v${v}: a resent QoS 2 PUBLISH is acknowledged again but delivered once [MQTT-4.3.3-9]`, async (t) => {
    const { url, port } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('e', { qos: 2 })
    const peer = await Peer.connected(t, port, v, 'raw-pub')
    const publish: PublishPacket = { cmd: 'publish', topic: 'e', payload: Buffer.from('once'), qos: 2, retain: false, dup: false, messageId: 7 }
    peer.send(publish)
    assert.equal((await peer.next()).cmd, 'pubrec')
    peer.send({ ...publish, dup: true })
    assert.equal((await peer.next()).cmd, 'pubrec')
    peer.send({ cmd: 'pubrel', messageId: 7 })
    const comp = await peer.next()
    assert.equal(comp.cmd, 'pubcomp')
    assert.equal((await inbox.next()).payload.toString(), 'once')
    await inbox.none(150)
  })

  test(`v${v}: outgoing QoS 2 runs PUBLISH → PUBREC → PUBREL → PUBCOMP with the subscriber's own ids`, async (t) => {
    const { broker, port } = await startBroker(t)
    const a = await Peer.connected(t, port, v, 'a')
    const b = await Peer.connected(t, port, v, 'b')
    for (const p of [a, b]) {
      p.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'f', qos: 2 }] })
      assert.equal((await p.next()).cmd, 'suback')
    }
    // a already has one message in flight, so the ids of a and b diverge
    a.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'only-a', qos: 2 }] })
    await a.next()
    broker.publish({ topic: 'only-a', payload: Buffer.from('1'), qos: 2 })
    broker.publish({ topic: 'f', payload: Buffer.from('2'), qos: 2 })
    const pa1 = await a.next() as PublishPacket
    const pa2 = await a.next() as PublishPacket
    const pb = await b.next() as PublishPacket
    assert.equal(pa2.qos, 2)
    assert.notEqual(pa1.messageId, pa2.messageId)
    assert.equal(pb.messageId, 1)
    b.send({ cmd: 'pubrec', messageId: pb.messageId! })
    const rel = await b.next()
    assert.deepEqual([rel.cmd, (rel as { messageId: number }).messageId], ['pubrel', pb.messageId])
    b.send({ cmd: 'pubcomp', messageId: pb.messageId! })
    assert.equal(broker.stats.publishSent, 3)
  })
}

test('max_inflight_messages: at most N unacknowledged QoS 1 deliveries, the rest queued in order', async (t) => {
  const { broker, port } = await startBroker(t, { maxInflightMessages: 2 })
  const peer = await Peer.connected(t, port, 4, 'slow')
  peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'w', qos: 1 }] })
  await peer.next()
  for (let i = 0; i < 5; i++) broker.publish({ topic: 'w', payload: Buffer.from(String(i)), qos: 1 })
  const first = await peer.next() as PublishPacket
  const second = await peer.next() as PublishPacket
  assert.deepEqual([first.payload.toString(), second.payload.toString()], ['0', '1'])
  await assert.rejects(peer.next(200), /no packet/)
  assert.equal(broker.stats.storedMessages, 5)
  peer.send({ cmd: 'puback', messageId: first.messageId! })
  assert.equal(((await peer.next()) as PublishPacket).payload.toString(), '2')
  peer.send({ cmd: 'puback', messageId: second.messageId! })
  assert.equal(((await peer.next()) as PublishPacket).payload.toString(), '3')
  assert.equal(broker.stats.storedMessages, 3)
})

test('a clean-session subscriber that leaves with unacknowledged messages leaves no stored count behind ($SYS store/messages/count)', async (t) => {
  const { broker, port } = await startBroker(t, { maxInflightMessages: 2 })
  const peer = await Peer.connected(t, port, 4, 'leaver')
  peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'w', qos: 1 }] })
  await peer.next()
  for (let i = 0; i < 5; i++) broker.publish({ topic: 'w', payload: Buffer.from(String(i)), qos: 1 })
  await peer.next() // 2 in flight, 3 queued, none acknowledged
  assert.deepEqual([broker.stats.storedMessages, broker.stats.storedBytes], [5, 5])
  peer.socket.destroy()
  await until(() => broker.stats.clientsConnected === 0)
  assert.deepEqual([broker.stats.storedMessages, broker.stats.storedBytes], [0, 0])
})

test('max_queued_messages: messages beyond the queue are dropped and counted', async (t) => {
  const { broker, port } = await startBroker(t, { maxInflightMessages: 1, maxQueuedMessages: 2 })
  const peer = await Peer.connected(t, port, 4, 'slow')
  peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'w', qos: 1 }] })
  await peer.next()
  for (let i = 0; i < 6; i++) broker.publish({ topic: 'w', payload: Buffer.from(String(i)), qos: 1 })
  assert.equal(broker.stats.publishDropped, 3) // 1 in flight + 2 queued
  const got: string[] = []
  for (let i = 0; i < 3; i++) {
    const p = await peer.next() as PublishPacket
    got.push(p.payload.toString())
    peer.send({ cmd: 'puback', messageId: p.messageId! })
  }
  assert.deepEqual(got, ['0', '1', '2'])
  await assert.rejects(peer.next(150), /no packet/)
})
