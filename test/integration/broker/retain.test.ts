// Retained messages: set, replace, clear, delivery on subscribe with the retain flag, v5 options.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Inbox, VERSIONS, client, startBroker } from '../../helpers/broker-start.js'

for (const v of VERSIONS) {
  test(`v${v}: a retained message reaches a later subscriber with the retain flag [MQTT-3.3.1-6]`, async (t) => {
    const { url, broker } = await startBroker(t)
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('r/1', 'old', { qos: 1, retain: true })
    await pub.publishAsync('r/1', 'new', { qos: 1, retain: true }) // replaces [MQTT-3.3.1-5]
    await pub.publishAsync('r/2', 'two', { qos: 0, retain: true })
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('r/+', { qos: 1 })
    const got = [await inbox.next(), await inbox.next()].sort((a, b) => a.topic.localeCompare(b.topic))
    assert.deepEqual(got.map((m) => [m.topic, m.payload.toString(), m.packet.retain, m.packet.qos]), [['r/1', 'new', true, 1], ['r/2', 'two', true, 0]])
    assert.equal(broker.stats.retainedCount, 2)
  })

  test(`v${v}: live messages on a retained topic arrive without the retain flag [MQTT-3.3.1-9]`, async (t) => {
    const { url } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('r', { qos: 1 })
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('r', 'x', { qos: 1, retain: true })
    assert.equal((await inbox.next()).packet.retain, false)
  })

  test(`v${v}: an empty retained payload clears the topic [MQTT-3.3.1-10]`, async (t) => {
    const { url, broker } = await startBroker(t)
    const pub = await client(t, url, { protocolVersion: v })
    await pub.publishAsync('c', 'x', { qos: 1, retain: true })
    await pub.publishAsync('c', '', { qos: 1, retain: true })
    assert.equal(broker.stats.retainedCount, 0)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('c', { qos: 1 })
    await inbox.none(150)
  })
}

test('v5: retain-as-published keeps the flag on live messages [MQTT-3.3.1-12]', async (t) => {
  const { url } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('rap', { qos: 1, rap: true })
  const pub = await client(t, url, { protocolVersion: 5 })
  await pub.publishAsync('rap', 'x', { qos: 1, retain: true })
  assert.equal((await inbox.next()).packet.retain, true)
})

test('v5: retain handling 0 sends retained on every subscribe, 1 only on a new one, 2 never [MQTT-3.3.1-9..11]', async (t) => {
  const { url } = await startBroker(t)
  const pub = await client(t, url, { protocolVersion: 5 })
  await pub.publishAsync('rh', 'kept', { qos: 1, retain: true })
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('rh', { qos: 1, rh: 0 })
  await inbox.next()
  await sub.subscribeAsync('rh', { qos: 1, rh: 0 })
  await inbox.next()
  await sub.subscribeAsync('rh', { qos: 1, rh: 1 }) // existing subscription: nothing
  await inbox.none(150)
  await sub.unsubscribeAsync('rh')
  await sub.subscribeAsync('rh', { qos: 1, rh: 1 }) // new again
  await inbox.next()
  await sub.unsubscribeAsync('rh')
  await sub.subscribeAsync('rh', { qos: 1, rh: 2 })
  await inbox.none(150)
})

test('retainAvailable false: a v5 retained PUBLISH is refused with DISCONNECT 0x9A, CONNACK says so', async (t) => {
  const { url } = await startBroker(t, { retainAvailable: false })
  const c = await client(t, url, { protocolVersion: 5 })
  const disconnected = new Promise<number | undefined>((r) => c.once('disconnect', (p) => r(p.reasonCode)))
  c.publish('x', 'y', { qos: 0, retain: true })
  assert.equal(await disconnected, 0x9a)
})
