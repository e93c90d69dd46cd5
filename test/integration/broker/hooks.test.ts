// Authorization hooks: authorizePublish on every PUBLISH, authorizeRead on delivery.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BrokerHooks } from '../../../src/broker/hooks.js'
import { Peer } from '../../helpers/broker-peer.js'
import { Inbox, client, startBroker } from '../../helpers/broker-start.js'

const onlyPublic: BrokerHooks = { authorizePublish: async (_c, topic) => topic.startsWith('public/') }

test('denied QoS 0 is dropped silently, v3 QoS 1 still gets PUBACK 0, v5 gets PUBACK 135; mosquitto logs it', async (t) => {
  const { url, port, logs, broker } = await startBroker(t, { hooks: onlyPublic })
  const sub = await client(t, url)
  const inbox = new Inbox(sub)
  await sub.subscribeAsync('#', { qos: 1 })
  const v4 = await Peer.connected(t, port, 4, 'p4')
  v4.send({ cmd: 'publish', topic: 'secret/a', payload: Buffer.from('zero'), qos: 0, retain: false, dup: false })
  v4.send({ cmd: 'publish', topic: 'secret/a', payload: Buffer.from('one'), qos: 1, retain: false, dup: false, messageId: 5 })
  const ack4 = await v4.next() as { cmd: string; reasonCode?: number; messageId: number }
  assert.deepEqual([ack4.cmd, ack4.messageId, ack4.reasonCode ?? 0], ['puback', 5, 0])
  const v5 = await Peer.connected(t, port, 5, 'p5')
  v5.send({ cmd: 'publish', topic: 'secret/b', payload: Buffer.from('one'), qos: 1, retain: false, dup: false, messageId: 6 })
  const ack5 = await v5.next() as { cmd: string; reasonCode?: number }
  assert.deepEqual([ack5.cmd, ack5.reasonCode], ['puback', 135])
  v5.send({ cmd: 'publish', topic: 'secret/b', payload: Buffer.from('two'), qos: 2, retain: false, dup: false, messageId: 7 })
  const rec5 = await v5.next() as { cmd: string; reasonCode?: number }
  assert.deepEqual([rec5.cmd, rec5.reasonCode], ['pubrec', 135])
  v4.send({ cmd: 'publish', topic: 'public/ok', payload: Buffer.from('fine'), qos: 1, retain: false, dup: false, messageId: 8 })
  assert.equal((await inbox.next()).topic, 'public/ok')
  assert.equal(inbox.messages.length, 1)
  assert.ok(logs.some(([, l]) => l === "Denied PUBLISH from p4 (d0, q0, r0, m0, 'secret/a', ... (4 bytes))"))
  assert.ok(broker.stats.publishDropped >= 4)
})

test('v3 denied QoS 2 completes the PUBREC/PUBREL/PUBCOMP flow without delivery', async (t) => {
  const { port } = await startBroker(t, { hooks: onlyPublic })
  const peer = await Peer.connected(t, port, 4, 'q2')
  peer.send({ cmd: 'publish', topic: 'secret', payload: Buffer.from('x'), qos: 2, retain: false, dup: false, messageId: 3 })
  assert.equal((await peer.next()).cmd, 'pubrec')
  peer.send({ cmd: 'pubrel', messageId: 3 })
  assert.equal((await peer.next()).cmd, 'pubcomp')
})

test('authorizeRead filters deliveries (live and retained) per subscriber', async (t) => {
  const { url, broker } = await startBroker(t, {
    hooks: { authorizeRead: (c, topic) => c.username === 'admin' || !topic.startsWith('private/') },
  })
  broker.publish({ topic: 'private/r', payload: Buffer.from('kept'), qos: 1, retain: true })
  const admin = await client(t, url, { username: 'admin' })
  const guest = await client(t, url, { username: 'guest' })
  const ai = new Inbox(admin)
  const gi = new Inbox(guest)
  await admin.subscribeAsync('#', { qos: 1 })
  await guest.subscribeAsync('#', { qos: 1 })
  assert.equal((await ai.next()).topic, 'private/r')
  broker.publish({ topic: 'private/x', payload: Buffer.from('p'), qos: 1 })
  broker.publish({ topic: 'open/x', payload: Buffer.from('o'), qos: 1 })
  assert.equal((await ai.next()).topic, 'private/x')
  assert.equal((await ai.next()).topic, 'open/x')
  assert.equal((await gi.next()).topic, 'open/x')
  await gi.none(100)
})
