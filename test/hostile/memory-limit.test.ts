// Issue 10 item 5: memory_limit, mosquitto's meaning — above it the broker takes no new work.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConnackPacket, Packet } from '../../src/codec/index.js'
import { Peer } from '../helpers/broker-peer.js'
import { startBroker } from '../helpers/broker-start.js'
import { ManualClock } from '../helpers/manual-clock.js'

const rc = (p: Packet) => (p as { reasonCode?: number; returnCode?: number }).reasonCode ?? (p as { returnCode?: number }).returnCode

test('over memory_limit: new CONNECTs get 0x89 (v5) / 3 (v3), messages are dropped or refused; under it again, all is normal', async (t) => {
  const clock = new ManualClock()
  let used = 10e6
  const { port, broker, logs } = await startBroker(t, { clock, memoryLimit: 100e6, memorySample: () => used })
  const v5 = await Peer.connected(t, port, 5, 'five')
  const v3 = await Peer.connected(t, port, 4, 'three')
  used = 150e6
  clock.advance(250)
  assert.ok(logs.some(([l, line]) => l === 'warning' && line === 'Memory 150 MB is over memory_limit: refusing new connections and messages.'))
  const late5 = await Peer.open(t, port, 5)
  late5.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'late5', clean: true, keepalive: 0 })
  assert.deepEqual([(await late5.next()).cmd, rc(late5.packets[0]!)], ['connack', 0x89])
  const late3 = await Peer.open(t, port, 4)
  late3.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'late3', clean: true, keepalive: 0 })
  assert.equal((await late3.next() as ConnackPacket).returnCode, 3)
  v5.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('1'), qos: 1, messageId: 1, retain: false, dup: false })
  const refused = await v5.next()
  assert.deepEqual([refused.cmd, rc(refused)], ['puback', 0x97])
  v3.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('1'), qos: 1, messageId: 1, retain: false, dup: false })
  assert.deepEqual(await v3.closedWithin(), [], 'a v3 publisher is disconnected, as mosquitto does')
  const dropped = broker.stats.publishDropped
  v5.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('0'), qos: 0, retain: false, dup: false })
  v5.send({ cmd: 'pingreq' })
  await v5.next()
  assert.equal(broker.stats.publishDropped, dropped + 1)
  used = 20e6
  clock.advance(250)
  v5.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('2'), qos: 1, messageId: 2, retain: false, dup: false })
  assert.deepEqual([(await v5.next()).cmd, rc(v5.packets.at(-1)!)], ['puback', 0x10])
  await Peer.connected(t, port, 4, 'welcome-again')
})
