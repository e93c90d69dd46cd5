// Topic rules: validation, wildcards and $ topics, $SYS publishes, v5 topic aliases, subscription
// identifiers, no-local, shared subscriptions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DisconnectPacket, SubackPacket, UnsubackPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { Inbox, VERSIONS, client, startBroker } from '../../helpers/broker-start.js'

for (const v of VERSIONS) {
  test(`v${v}: + and # match levels; $ topics are not matched by first-level wildcards [MQTT-4.7.2-1]`, async (t) => {
    const { url, broker } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync(['#', 'a/+/c'], { qos: 0 })
    broker.publish({ topic: '$SYS/broker/x', payload: Buffer.from('sys') })
    broker.publish({ topic: 'a/b/c', payload: Buffer.from('abc') })
    const m = await inbox.next()
    assert.equal(m.topic, 'a/b/c') // one copy although '#' and 'a/+/c' both match
    await inbox.none(150)
  })

  test(`v${v}: invalid filters: v5 refuses each in SUBACK (0x8F) and grants the valid ones; 3.1.1 closes, as mosquitto`, async (t) => {
    const { port } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'f')
    peer.send({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#/b', qos: 1 }, { topic: 'a+', qos: 0 }, { topic: 'ok/+', qos: 2 }, { topic: '$share/g', qos: 0 }] })
    if (v === 4) { assert.deepEqual(await peer.closedWithin(), []); return }
    const ack = await peer.next() as SubackPacket
    assert.deepEqual(ack.granted, [0x8f, 0x8f, 2, 0x8f])
  })

  test(`v${v}: a PUBLISH with a wildcard topic closes the connection [MQTT-3.3.2-2]`, async (t) => {
    const { port } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'w')
    peer.write(v === 5 ? [0x30, 6, 0, 3, ...Buffer.from('a/#'), 0] : [0x30, 5, 0, 3, ...Buffer.from('a/#')]) // v5: empty property block
    const last = await peer.closedWithin()
    if (v === 5) assert.equal((last[0] as DisconnectPacket).reasonCode, 0x90)
  })

  test(`v${v}: clients may not publish into $SYS (dropped; 3.1.1 still acknowledged, v5 PUBACK 0x87)`, async (t) => {
    const { url } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('$SYS/#', { qos: 1 })
    const pub = await client(t, url, { protocolVersion: v })
    if (v === 5) await assert.rejects(pub.publishAsync('$SYS/broker/fake', 'x', { qos: 1 }), /Not authorized|135/)
    else await pub.publishAsync('$SYS/broker/fake', 'x', { qos: 1 })
    await inbox.none(150)
  })

  test(`v${v}: unsubscribe stops delivery; v5 UNSUBACK says whether a subscription existed`, async (t) => {
    const { port, broker } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'u')
    peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'u', qos: 0 }] })
    await peer.next()
    assert.equal(broker.stats.subscriptionsCount, 1)
    peer.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['u', 'never'] })
    const ack = await peer.next() as UnsubackPacket
    assert.equal(ack.messageId, 2)
    if (v === 5) assert.deepEqual(ack.granted, [0, 0x11])
    assert.equal(broker.stats.subscriptionsCount, 0)
    broker.publish({ topic: 'u', payload: Buffer.from('x') })
    await assert.rejects(peer.next(150), /no packet/)
  })

  test(`v${v}: shared subscriptions deliver each message to one group member, round robin`, async (t) => {
    const { url, broker } = await startBroker(t)
    const inboxes: Inbox[] = []
    for (let i = 0; i < 2; i++) {
      const c = await client(t, url, { protocolVersion: v, clientId: `member${i}` })
      inboxes.push(new Inbox(c))
      await c.subscribeAsync('$share/g/s/#', { qos: 0 })
    }
    for (let i = 0; i < 4; i++) broker.publish({ topic: 's/x', payload: Buffer.from(String(i)) })
    const a = [await inboxes[0]!.next(), await inboxes[0]!.next()].map((m) => m.payload.toString())
    const b = [await inboxes[1]!.next(), await inboxes[1]!.next()].map((m) => m.payload.toString())
    assert.deepEqual([...a, ...b].sort(), ['0', '1', '2', '3'])
    assert.equal(a.length, 2)
    assert.equal(broker.stats.sharedSubscriptionsCount, 2)
  })
}

test('v5: inbound topic aliases are set by a topic and resolved by an empty one [MQTT-3.3.2-12]', async (t) => {
  const { url, port } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('alias/#', { qos: 0 })
  const peer = await Peer.connected(t, port, 5, 'aliaser')
  peer.send({ cmd: 'publish', topic: 'alias/long/topic', payload: Buffer.from('1'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } })
  peer.send({ cmd: 'publish', topic: '', payload: Buffer.from('2'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } })
  const got = [await inbox.next(), await inbox.next()]
  assert.deepEqual(got.map((m) => [m.topic, m.payload.toString()]), [['alias/long/topic', '1'], ['alias/long/topic', '2']])
  assert.equal(got[1]!.packet.properties?.topicAlias, undefined) // the alias is not forwarded
})

test('v5: a topic alias above topic-alias-maximum is a protocol error (DISCONNECT 0x94)', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.connected(t, port, 5, 'badalias')
  peer.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('1'), qos: 0, retain: false, dup: false, properties: { topicAlias: 11 } })
  const last = await peer.closedWithin()
  assert.equal((last[0] as DisconnectPacket).reasonCode, 0x94)
})

test('v5: subscription identifiers are sent with matching messages [MQTT-3.3.4-3]', async (t) => {
  const { url, broker } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('sid/+', { qos: 1, properties: { subscriptionIdentifier: 42 } })
  await sub.subscribeAsync('sid/#', { qos: 0, properties: { subscriptionIdentifier: 7 } })
  broker.publish({ topic: 'sid/x', payload: Buffer.from('x'), qos: 1 })
  const m = await inbox.next()
  const ids = m.packet.properties?.subscriptionIdentifier
  assert.deepEqual((Array.isArray(ids) ? ids : [ids]).sort(), [42, 7].sort())
  assert.equal(m.packet.qos, 1)
})

test('v5: no-local keeps a client\'s own messages away from it [MQTT-3.8.3-3]', async (t) => {
  const { url } = await startBroker(t)
  const me = await client(t, url, { protocolVersion: 5 })
  const mine = new Inbox(me)
  await me.subscribeAsync('nl', { qos: 1, nl: true })
  const other = await client(t, url, { protocolVersion: 5 })
  const theirs = new Inbox(other)
  await other.subscribeAsync('nl', { qos: 1 })
  await me.publishAsync('nl', 'x', { qos: 1 })
  await theirs.next()
  await mine.none(150)
})

test('v5: no-local on a shared subscription is a protocol error [MQTT-3.8.3-4]', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.connected(t, port, 5, 'nlshare')
  peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '$share/g/x', qos: 0, nl: true }] })
  const last = await peer.closedWithin()
  assert.equal((last[0] as DisconnectPacket).reasonCode, 0x82)
})

test('v5: PUBACK says "no matching subscribers" (0x10) when nobody listens, as mosquitto', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.connected(t, port, 5, 'lonely')
  peer.send({ cmd: 'publish', topic: 'nobody', payload: Buffer.from('x'), qos: 1, retain: false, dup: false, messageId: 9 })
  const ack = await peer.next()
  assert.deepEqual([ack.cmd, (ack as { reasonCode?: number }).reasonCode], ['puback', 0x10])
})

test('messageSizeLimit: an oversize PUBLISH is dropped (v5 PUBACK 131, v3 PUBACK 0)', async (t) => {
  const { url, port, broker } = await startBroker(t, { messageSizeLimit: 4 })
  const sub = await client(t, url)
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('big', { qos: 1 })
  for (const v of [4, 5] as const) {
    const peer = await Peer.connected(t, port, v, `big${v}`)
    peer.send({ cmd: 'publish', topic: 'big', payload: Buffer.from('12345'), qos: 1, retain: false, dup: false, messageId: 1 })
    const ack = await peer.next() as { cmd: string; reasonCode?: number }
    assert.equal(ack.cmd, 'puback')
    assert.equal(ack.reasonCode ?? 0, v === 5 ? 131 : 0)
  }
  await inbox.none(100)
  assert.equal(broker.stats.publishDropped, 2)
  const small = await Peer.connected(t, port, 4, 'small')
  small.send({ cmd: 'publish', topic: 'big', payload: Buffer.from('1234'), qos: 0, retain: false, dup: false })
  assert.equal((await inbox.next()).payload.toString(), '1234')
})
