// A bridge's state notifications as mosquitto publishes them, and who the bridge is on each broker: its
// remote credentials, its local side (never authenticated, its local_username for the ACL).
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { test } from 'node:test'
import { client, Inbox } from '../../helpers/broker-start.js'
import { bridged, stateIs, subscriber } from '../../helpers/bridges.js'

test('$SYS/broker/connection/<remote_clientid>/state: retained 1 on both brokers once connected; B\'s copy becomes 0 by the will when A stops', async (t) => {
  const { a, b } = await bridged(t)
  await stateIs(t, a.url, '1')
  await stateIs(t, b.url, '1')
  const onB = await subscriber(t, b.url, '$SYS/broker/connection/edge/state')
  assert.deepEqual([(await onB.next()).payload.toString()], ['1'])
  await a.broker.close() // the bridge closes without DISCONNECT: B publishes its will
  const m = await onB.next()
  assert.deepEqual([m.payload.toString(), m.packet.qos], ['0', 1])
  await stateIs(t, b.url, '0') // and it is retained
})

test('A\'s own copy becomes 0 when the link is lost', async (t) => {
  const { a, b } = await bridged(t)
  await stateIs(t, a.url, '1')
  const onA = await subscriber(t, a.url, '$SYS/broker/connection/edge/state')
  await onA.next() // the retained 1
  await b.broker.close()
  assert.equal((await onA.next()).payload.toString(), '0')
})

test('the default topic names the default remote client id, <hostname>.<connection name>, as mosquitto', async (t) => {
  const { a, b } = await bridged(t, { remoteClientId: undefined, name: 'site' })
  const id = `${hostname()}.site`
  await stateIs(t, a.url, '1', `$SYS/broker/connection/${id}/state`)
  await stateIs(t, b.url, '1', `$SYS/broker/connection/${id}/state`)
  const logs = b.logs.map(([, l]) => l)
  assert.ok(logs.some((l) => l.startsWith(`New bridge connected from 127.0.0.1:`) && l.includes(` as ${id} (p2, c0, k60).`)), logs.join('\n'))
  assert.ok(a.logs.some(([, l]) => l === `New client connected from bridge site as local.${id} (p5, c0, k0).`))
})

test('notification_topic, and notifications_local_only keeps the state off the remote', async (t) => {
  const { a, b } = await bridged(t, { notificationTopic: 'bridges/edge', notificationsLocalOnly: true })
  await stateIs(t, a.url, '1', 'bridges/edge')
  const onB = await subscriber(t, b.url, ['bridges/#', 'marker'])
  await (await client(t, b.url)).publishAsync('marker', 'x', { qos: 1 })
  assert.equal((await onB.next()).topic, 'marker', 'no retained state on B')
})

test('notifications false: no state topic anywhere', async (t) => {
  const { a, b } = await bridged(t, { notifications: false })
  await (await client(t, a.url)).publishAsync('x/up', 'crossed', { qos: 1 })
  const onA = await subscriber(t, a.url, ['$SYS/broker/connection/#', 'marker'])
  const onB = await subscriber(t, b.url, ['$SYS/broker/connection/#', 'marker'])
  await (await client(t, a.url)).publishAsync('marker', 'x', { qos: 1 })
  await (await client(t, b.url)).publishAsync('marker', 'y', { qos: 1 })
  assert.equal((await onA.next()).topic, 'marker')
  assert.equal((await onB.next()).topic, 'marker')
})

test('remote_username/remote_password authenticate on the remote; the local side is never authenticated and its local_username reaches the ACL', async (t) => {
  const writers: (string | undefined)[] = []
  const { a, b } = await bridged(t, { remoteUsername: 'edge-user', remotePassword: 'secret', localUsername: 'bridge-a', topics: [{ pattern: 'in/#', direction: 'in', qos: 1 }] }, {
    a: {
      hooks: {
        // only "watcher" gets in over the network: the bridge's local side (username bridge-a) is not asked
        authenticate: (c) => (c.username === 'watcher' ? { ok: true } : { ok: false, reasonCode: 0x86 }),
        authorizePublish: (c, topic) => { if (topic.startsWith('in/')) writers.push(c.username); return c.username === 'bridge-a' },
      },
    },
    b: { hooks: { authenticate: (c) => (c.username === 'edge-user' && c.password?.toString() === 'secret' ? { ok: true } : { ok: false, reasonCode: 0x86 }) } },
  })
  const watcher = await client(t, a.url, { username: 'watcher' })
  const inbox = new Inbox(watcher)
  await watcher.subscribeAsync(['in/#', '$SYS/broker/connection/edge/state'], { qos: 1 })
  for (let i = 0; i < 5 && (await inbox.next()).payload.toString() !== '1'; i++);
  await (await client(t, b.url, { username: 'edge-user', password: 'secret' })).publishAsync('in/x', 'through', { qos: 1 })
  const m = await inbox.next()
  assert.deepEqual([m.topic, m.payload.toString()], ['in/x', 'through'])
  assert.deepEqual(writers, ['bridge-a'])
})
