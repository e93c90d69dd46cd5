// A v5 client's Maximum Packet Size: the broker never sends it a larger PUBLISH [MQTT-3.1.2-24] and
// discards such a message for that client only, as if sent [MQTT-3.1.2-25]; the client stays connected.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Inbox, client, startBroker } from '../../helpers/broker-start.js'

test('messages larger than the client\'s Maximum Packet Size are skipped for it, others still arrive [MQTT-3.1.2-24] [MQTT-3.1.2-25]', async (t) => {
  const { broker, url } = await startBroker(t)
  const small = await client(t, url, { protocolVersion: 5, properties: { maximumPacketSize: 100 } })
  const big = await client(t, url, { protocolVersion: 5 })
  const smallInbox = new Inbox(small)
  const bigInbox = new Inbox(big)
  for (const c of [small, big]) await c.subscribeAsync('mps/#', { qos: 1 })
  const pub = await client(t, url, { protocolVersion: 5 })
  for (const qos of [0, 1] as const) {
    await pub.publishAsync(`mps/big/${qos}`, 'x'.repeat(200), { qos })
    await pub.publishAsync(`mps/small/${qos}`, 'y'.repeat(20), { qos })
  }
  const got = [await smallInbox.next(), await smallInbox.next()].map((m) => m.topic)
  assert.deepEqual(got, ['mps/small/0', 'mps/small/1'], 'only the small messages reach the limited client')
  const all = []
  for (let i = 0; i < 4; i++) all.push((await bigInbox.next()).topic)
  assert.deepEqual(all, ['mps/big/0', 'mps/small/0', 'mps/big/1', 'mps/small/1'], 'the unlimited client gets everything')
  assert.equal(broker.stats.publishDropped, 2)
  assert.equal(small.connected, true)
})
