// Wills: published on an abnormal end, not on a normal DISCONNECT; v5 DISCONNECT 0x04; v5 will delay.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Peer } from '../../helpers/broker-peer.js'
import { Inbox, VERSIONS, client, startBroker } from '../../helpers/broker-start.js'

const will = { topic: 'will/t', payload: Buffer.from('gone'), qos: 1 as const, retain: false }

for (const v of VERSIONS) {
  test(`v${v}: the will is published when the connection drops without DISCONNECT [MQTT-3.1.2-8]`, async (t) => {
    const { url, port } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('will/#', { qos: 1 })
    const peer = await Peer.connected(t, port, v, 'dies', { will })
    peer.socket.destroy()
    const m = await inbox.next()
    assert.deepEqual([m.topic, m.payload.toString(), m.packet.qos], ['will/t', 'gone', 1])
  })

  test(`v${v}: the will is published when keepalive expires`, async (t) => {
    const { url, port } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('will/#', { qos: 1 })
    await Peer.connected(t, port, v, 'sleeps', { will, keepalive: 1 })
    assert.equal((await inbox.next(4000)).payload.toString(), 'gone')
  })

  test(`v${v}: a normal DISCONNECT discards the will [MQTT-3.14.4-3]`, async (t) => {
    const { url, port } = await startBroker(t)
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('will/#', { qos: 1 })
    const peer = await Peer.connected(t, port, v, 'polite', { will })
    peer.send({ cmd: 'disconnect' })
    await peer.closedWithin()
    await inbox.none(200)
  })

  test(`v${v}: a retained will is retained`, async (t) => {
    const { url, port, broker } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'dies', { will: { ...will, retain: true } })
    peer.socket.destroy()
    for (let i = 0; i < 100 && broker.stats.retainedCount === 0; i++) await new Promise((r) => setTimeout(r, 10))
    const sub = await client(t, url, { protocolVersion: v })
    const inbox = new Inbox(sub)
    await sub.subscribeAsync('will/t', { qos: 1 })
    const m = await inbox.next()
    assert.equal(m.packet.retain, true)
  })
}

test('v5: DISCONNECT with reason 0x04 publishes the will', async (t) => {
  const { url, port } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('will/#', { qos: 1 })
  const peer = await Peer.connected(t, port, 5, 'with-will', { will })
  peer.send({ cmd: 'disconnect', reasonCode: 0x04 })
  assert.equal((await inbox.next()).payload.toString(), 'gone')
})

test('v5: will-delay-interval delays the will; a reconnect in time cancels it [MQTT-3.1.3-9]', async (t) => {
  const { url, port } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('will/#', { qos: 1 })
  const delayed = { ...will, properties: { willDelayInterval: 1 } }
  const props = { properties: { sessionExpiryInterval: 60 }, clean: false }
  const a = await Peer.connected(t, port, 5, 'delayed', { will: delayed, ...props })
  a.socket.destroy()
  await inbox.none(300)
  await Peer.connected(t, port, 5, 'delayed', props) // back in time: no will
  await inbox.none(1200)
  const b = await Peer.connected(t, port, 5, 'delayed2', { will: delayed, ...props })
  const dropped = Date.now()
  b.socket.destroy()
  const m = await inbox.next(3000)
  assert.equal(m.payload.toString(), 'gone')
  assert.ok(Date.now() - dropped >= 900, 'will came before its delay')
})

test('v5: a will delay longer than the session expiry fires when the session ends', async (t) => {
  const { url, port } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 5 })
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('will/#', { qos: 1 })
  const peer = await Peer.connected(t, port, 5, 'short', { will: { ...will, properties: { willDelayInterval: 3600 } }, properties: { sessionExpiryInterval: 0 } })
  peer.socket.destroy()
  assert.equal((await inbox.next()).payload.toString(), 'gone')
})

test('close() publishes the wills of connected clients to persistent sessions', async (t) => {
  const { url, port, broker } = await startBroker(t)
  const sub = await client(t, url, { protocolVersion: 4, clientId: 'keeper', clean: false })
  await sub.subscribeAsync('will/#', { qos: 1 })
  await sub.endAsync()
  await Peer.connected(t, port, 4, 'victim', { will })
  await broker.close()
  assert.equal(broker.stats.storedMessages, 1) // the will, queued for the offline persistent session
})
