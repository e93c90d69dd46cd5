// QoS 0 publishes leave through the link's batch of the tick: the bytes the broker sees, their order with
// other packets, the copy of the payload, the Maximum Packet Size check and publishMany()'s one answer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type ClientOptions } from '../../../src/client/client.js'
import type { ProtocolVersion, PublishPacket } from '../../../src/codec/index.js'
import { ConnectionClosedError, PacketTooLargeError } from '../../../src/core/errors.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { MemoryNetwork, settle, type MemoryPeer } from '../../helpers/memory-peer.js'

const text = (p: PublishPacket) => Buffer.from(p.payload as Buffer).toString()

function setup(protocolVersion: ProtocolVersion = 4, o: ClientOptions = {}) {
  const net = new MemoryNetwork()
  const clock = new ManualClock()
  const options: ClientOptions = {
    clientId: 'c1', clean: true, keepalive: 0, clock, transport: net.transport, protocolVersion,
    reconnect: { initialDelayMs: 1000, maxDelayMs: 1000, factor: 1 }, ...o,
  }
  return { net, clock, options }
}

async function accept(net: MemoryNetwork, version: ProtocolVersion, maximumPacketSize?: number): Promise<MemoryPeer> {
  const peer = await net.nextConnection()
  await peer.expect('connect')
  if (version === 5) peer.send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, ...(maximumPacketSize ? { properties: { maximumPacketSize } } : {}) })
  else peer.connack()
  return peer
}

async function publishes(peer: MemoryPeer, n: number): Promise<PublishPacket[]> {
  const out: PublishPacket[] = []
  for (let i = 0; i < n; i++) out.push(await peer.expect('publish'))
  return out
}

for (const version of [4, 5] as ProtocolVersion[]) {
  test(`v${version}: publishMany sends every payload in order, QoS 0, and answers once they were written`, async () => {
    const s = setup(version)
    const c = connect('mqtt://broker', s.options)
    const peer = await accept(s.net, version)
    const client = await c
    const payloads = ['a', '', 'ccc', 'é'].map((t) => Buffer.from(t))
    const r = await client.publishMany('t/1', payloads, { retain: true })
    assert.deepEqual(r.failed, [])
    const got = await publishes(peer, 4)
    assert.deepEqual(got.map(text), ['a', '', 'ccc', 'é'])
    assert.deepEqual(got.map((p) => [p.topic, p.qos, p.retain, p.dup]), got.map(() => ['t/1', 0, true, false]))
    client.destroy()
  })
}

test('QoS 0 publishes keep their order with the other packets of the same tick (a QoS 1 publish between them)', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 4)
  const client = await c
  void client.publish('t', 'q0-a')
  const q1 = client.publish('t', 'q1', { qos: 1 }).catch(() => undefined) // never acknowledged here
  void client.publishMany('t', [Buffer.from('q0-b'), Buffer.from('q0-c')])
  void client.publish('t', 'q0-d')
  const got = await publishes(peer, 4)
  assert.deepEqual(got.map(text), ['q0-a', 'q1', 'q0-b', 'q0-c'])
  assert.equal(text(await peer.expect('publish')), 'q0-d')
  client.destroy()
  await q1
})

test('the payload is copied when publish() returns: a caller may reuse its buffer at once (tsbench does)', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 4)
  const client = await c
  const payload = Buffer.from('first')
  const done = client.publish('t', payload)
  payload.write('again')
  const [p] = await publishes(peer, 1)
  assert.equal(text(p!), 'first')
  assert.equal((await done).reasonCode, 0)
  client.destroy()
})

test('publishMany: a payload over the maximum packet size is in failed, never sent; the others go', async () => {
  const s = setup(5)
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 5, 100)
  const client = await c
  const r = await client.publishMany('t', ['ok1', 'x'.repeat(200), 'ok2'].map((t) => Buffer.from(t)))
  assert.deepEqual(r.failed.map((f) => f.index), [1])
  assert.ok(r.failed[0]!.error instanceof PacketTooLargeError)
  assert.deepEqual((await publishes(peer, 2)).map(text), ['ok1', 'ok2'])
  client.destroy()
})

test('publishMany with v5 properties sends them with every message', async () => {
  const s = setup(5)
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, 5)
  const client = await c
  const r = await client.publishMany('t', [Buffer.from('a'), Buffer.from('b')], { properties: { contentType: 'text/plain' } })
  assert.deepEqual(r.failed, [])
  const got = await publishes(peer, 2)
  assert.deepEqual(got.map((p) => [text(p), p.properties?.contentType]), [['a', 'text/plain'], ['b', 'text/plain']])
  client.destroy()
})

test('publishMany while reconnecting: sent on the next connection, answered then; empty: answered at once', async () => {
  const s = setup()
  const c = connect('mqtt://broker', s.options)
  const first = await accept(s.net, 4)
  const client = await c
  assert.deepEqual(await client.publishMany('t', []), { failed: [] })
  first.drop()
  await settle()
  let answered = false
  const r = client.publishMany('t', [Buffer.from('m1'), Buffer.from('m2')]).then((x) => { answered = true; return x })
  await settle()
  assert.equal(answered, false)
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await accept(s.net, 4)
  assert.deepEqual((await publishes(again, 2)).map(text), ['m1', 'm2'])
  assert.deepEqual(await r, { failed: [] })
  client.destroy()
})

test('publishMany takes an iterator that hands out one buffer rewritten each time (tsbench does)', async () => {
  for (const connected of [true, false]) {
    const s = setup()
    const c = connect('mqtt://broker', s.options)
    const first = await accept(s.net, 4)
    const client = await c
    if (!connected) { first.drop(); await settle() }
    const buf = Buffer.from('m0')
    function* rewritten() { for (let i = 0; i < 3; i++) { buf.write(`m${i}`); yield buf } }
    const r = client.publishMany('t', rewritten())
    let peer = first
    if (!connected) { await s.clock.armed(); s.clock.advance(1000); peer = await accept(s.net, 4) }
    assert.deepEqual((await publishes(peer, 3)).map(text), ['m0', 'm1', 'm2'], connected ? 'connected' : 'while reconnecting')
    assert.deepEqual(await r, { failed: [] })
    client.destroy()
  }
})

test('publishMany on a finished client rejects, as publish() does', async () => {
  const s = setup(4, { reconnect: undefined })
  const c = connect('mqtt://broker', s.options)
  await accept(s.net, 4)
  const client = await c
  await client.disconnect()
  await assert.rejects(client.publishMany('t', [Buffer.from('x')]), ConnectionClosedError)
  await assert.rejects(client.publish('t', 'x'), ConnectionClosedError)
})
