// The server's Maximum Packet Size from a v5 CONNACK: the client never sends a larger packet [MQTT-3.2.2-15]
// (v5). Over in-memory streams on a manual clock: refused at once, dropped on a resend after the limit fell.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type ClientOptions } from '../../../src/client/client.js'
import type { PublishPacket } from '../../../src/codec/index.js'
import { PacketTooLargeError } from '../../../src/core/errors.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { MemoryNetwork, settle, type MemoryPeer } from '../../helpers/memory-peer.js'

const text = (p: PublishPacket) => Buffer.from(p.payload as Buffer).toString()
const big = 'x'.repeat(500)

function setup(o: ClientOptions = {}) {
  const net = new MemoryNetwork()
  const clock = new ManualClock()
  const options: ClientOptions = {
    clientId: 'c1', clean: false, keepalive: 0, clock, transport: net.transport, protocolVersion: 5,
    reconnect: { initialDelayMs: 1000, maxDelayMs: 1000, factor: 1 }, ...o,
  }
  return { net, clock, options }
}

async function accept(net: MemoryNetwork, maximumPacketSize: number | undefined, sessionPresent = false): Promise<MemoryPeer> {
  const peer = await net.nextConnection()
  await peer.expect('connect')
  peer.send({ cmd: 'connack', sessionPresent, reasonCode: 0, ...(maximumPacketSize !== undefined ? { properties: { maximumPacketSize } } : {}) })
  return peer
}

async function tooLarge(p: Promise<unknown>): Promise<PacketTooLargeError> {
  const e = await p.then(() => undefined, (err: unknown) => err)
  assert.ok(e instanceof PacketTooLargeError, `expected PacketTooLargeError, got ${String(e)}`)
  return e
}

test('a publish over the CONNACK\'s maximum packet size is refused and never sent, at QoS 0, 1 and 2 [MQTT-3.2.2-15]', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 100)
  const client = await c
  for (const qos of [0, 1, 2] as const) {
    const e = await tooLarge(client.publish('t', big, { qos }))
    assert.equal(e.code, 'ERR_PACKET_TOO_LARGE')
    assert.equal(e.reasonCode, 0x95)
    assert.equal(e.maximum, 100)
    assert.equal(e.size, 1 + 2 + 3 + 1 + 500 + (qos > 0 ? 2 : 0)) // type, remaining length (2), topic, properties, payload, id
  }
  // exactly at the limit is sent: 1 + 1 + (2 + 1) + 2 (id) + 1 (properties) + 92 = 100
  const fits = client.publish('t', 'y'.repeat(92), { qos: 1 })
  const sent = await peer.expect('publish')
  assert.equal(text(sent), 'y'.repeat(92), 'the first packet the broker sees is the one that fits')
  peer.send({ cmd: 'puback', messageId: sent.messageId! })
  assert.equal((await fits).reasonCode, 0)
  client.destroy()
})

test('after a reconnect whose CONNACK lowers the limit, a resend too large is dropped with the error; the rest go on in order', async () => {
  const s = setup({ maxInflight: 2 })
  const c = connect('mqtt://broker', s.options)
  const first = await accept(s.net, undefined)
  const client = await c
  const results = ['a', big, 'c', 'd'].map((m) => client.publish('t', m, { qos: 1 }))
  const inFlight = [await first.expect('publish'), await first.expect('publish')]
  assert.deepEqual(inFlight.map(text), ['a', big])
  first.drop()
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await accept(s.net, 100, true)
  const e = await tooLarge(results[1]!)
  assert.equal(e.maximum, 100)
  const resent = await again.expect('publish')
  assert.deepEqual([text(resent), resent.dup, resent.messageId], ['a', true, inFlight[0]!.messageId])
  const next = await again.expect('publish')
  assert.deepEqual([text(next), next.dup], ['c', false], 'the freed window slot goes to the next queued message')
  again.send({ cmd: 'puback', messageId: resent.messageId! })
  again.send({ cmd: 'puback', messageId: next.messageId! })
  const last = await again.expect('publish')
  assert.equal(text(last), 'd')
  again.send({ cmd: 'puback', messageId: last.messageId! })
  assert.deepEqual((await Promise.all([results[0], results[2], results[3]])).map((r) => r!.reasonCode), [0, 0, 0])
  client.destroy()
})

test('a QoS 0 publish made while reconnecting is checked against the new connection\'s limit', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const first = await accept(s.net, undefined)
  const client = await c
  first.drop()
  await settle()
  const offline = [client.publish('t', big), client.publish('t', 'small')]
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await accept(s.net, 100)
  await tooLarge(offline[0]!)
  assert.equal(text(await again.expect('publish')), 'small')
  assert.equal((await offline[1]!).reasonCode, 0)
  client.destroy()
})

test('a topic alias is not recorded by a publish refused as too large: the next one still carries the topic', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 100)
  const client = await c
  const properties = { topicAlias: 1 }
  await tooLarge(client.publish('alias/topic', big, { properties }))
  const ok = client.publish('alias/topic', 'small', { properties })
  const p = await peer.expect('publish')
  assert.deepEqual([p.topic, text(p)], ['alias/topic', 'small'])
  await ok
  client.destroy()
})
