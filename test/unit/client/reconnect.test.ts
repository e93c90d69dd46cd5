// The client's one reconnect loop over in-memory streams with scripted disconnects, on a manual clock:
// resend with DUP in order, the session kept across connections, capped backoff, manual acknowledgement.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, createClient, type ClientOptions } from '../../../src/client/client.js'
import { backoffDelay } from '../../../src/client/options.js'
import type { PublishPacket } from '../../../src/codec/index.js'
import { ConnackRefusedError, NetworkError } from '../../../src/core/errors.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { MemoryNetwork, settle, type MemoryPeer } from '../../helpers/memory-peer.js'

const payloads = (ps: PublishPacket[]) => ps.map((p) => Buffer.from(p.payload as Buffer).toString())

function setup(o: ClientOptions = {}) {
  const net = new MemoryNetwork()
  const clock = new ManualClock()
  const options: ClientOptions = {
    clientId: 'c1', clean: false, keepalive: 0, clock, transport: net.transport,
    reconnect: { initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 }, ...o,
  }
  return { net, clock, options }
}

/** Accept the next connection: read CONNECT, answer CONNACK. */
async function accept(net: MemoryNetwork, sessionPresent: boolean): Promise<MemoryPeer> {
  const peer = await net.nextConnection()
  await peer.expect('connect')
  peer.connack(sessionPresent)
  return peer
}

async function connected(s: ReturnType<typeof setup>) {
  const c = connect('mqtt://broker', s.options)
  const peer = await accept(s.net, false)
  return { client: await c, peer }
}

test('after a drop, unacknowledged QoS 1 publishes are resent with DUP, in order, with their ids [MQTT-4.4.0-1]', async () => {
  const s = setup()
  const { client, peer } = await connected(s)
  const results = ['a', 'b', 'c'].map((m) => client.publish('t', m, { qos: 1 }))
  const first = await Promise.all([peer.expect('publish'), peer.expect('publish'), peer.expect('publish')])
  assert.deepEqual(payloads(first), ['a', 'b', 'c'])
  peer.send({ cmd: 'puback', messageId: first[0]!.messageId! }) // 'a' is acknowledged before the drop
  await results[0]
  peer.drop()
  await s.clock.armed()
  s.clock.advance(999)
  await settle()
  assert.equal(s.net.attempts, 1, 'no attempt before the backoff delay')
  s.clock.advance(1)
  const again = await accept(s.net, true)
  const resent = [await again.expect('publish'), await again.expect('publish')]
  assert.deepEqual(payloads(resent), ['b', 'c'])
  assert.deepEqual(resent.map((p) => [p.messageId, p.dup]), [[first[1]!.messageId, true], [first[2]!.messageId, true]])
  for (const p of resent) again.send({ cmd: 'puback', messageId: p.messageId! })
  assert.deepEqual((await Promise.all(results)).map((r) => r.reasonCode), [0, 0, 0])
  client.destroy()
})

test('a QoS 2 publish awaiting PUBCOMP gets its PUBREL again, not the PUBLISH [MQTT-4.4.0-1]', async () => {
  const s = setup()
  const { client, peer } = await connected(s)
  const done = client.publish('t', 'q2', { qos: 2 })
  const p = await peer.expect('publish')
  peer.send({ cmd: 'pubrec', messageId: p.messageId! })
  await peer.expect('pubrel')
  peer.drop()
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await accept(s.net, true)
  const rel = await again.expect('pubrel')
  assert.equal(rel.messageId, p.messageId)
  again.send({ cmd: 'pubcomp', messageId: p.messageId! })
  assert.equal((await done).reasonCode, 0)
  client.destroy()
})

test('session present 0 after a reconnect: unacknowledged messages go again as new ones, a PUBREC-ed QoS 2 is settled', async () => {
  const s = setup()
  const { client, peer } = await connected(s)
  const q2 = client.publish('t', 'taken', { qos: 2 })
  const taken = await peer.expect('publish')
  peer.send({ cmd: 'pubrec', messageId: taken.messageId! })
  await peer.expect('pubrel')
  const rest = ['x', 'y'].map((m) => client.publish('t', m, { qos: 1 }))
  await peer.expect('publish')
  await peer.expect('publish')
  peer.drop()
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await accept(s.net, false)
  assert.equal((await q2).reasonCode, 0, 'the broker had taken it with PUBREC')
  const resent = [await again.expect('publish'), await again.expect('publish')]
  assert.deepEqual(payloads(resent), ['x', 'y'])
  assert.deepEqual(resent.map((p) => p.dup), [false, false])
  for (const p of resent) again.send({ cmd: 'puback', messageId: p.messageId! })
  await Promise.all(rest)
  client.destroy()
})

test('messages published while reconnecting wait for the connection, behind the resends', async () => {
  const s = setup()
  const { client, peer } = await connected(s)
  const before = client.publish('t', 'before', { qos: 1 })
  await peer.expect('publish')
  peer.drop()
  await s.clock.armed()
  const during = [client.publish('t', 'during-1', { qos: 1 }), client.publish('t', 'during-0', { qos: 0 })]
  s.clock.advance(1000)
  const again = await accept(s.net, true)
  const got = [await again.expect('publish'), await again.expect('publish'), await again.expect('publish')]
  assert.deepEqual(payloads(got), ['before', 'during-1', 'during-0'])
  for (const p of got) if (p.qos === 1) again.send({ cmd: 'puback', messageId: p.messageId! })
  await Promise.all([before, ...during])
  client.destroy()
})

test('the backoff doubles from the initial delay and is capped', async () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 100].map((n) => backoffDelay(n, { initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 })),
    [1000, 2000, 4000, 8000, 8000, 8000, 8000])
  assert.deepEqual([0, 1, 5].map((n) => backoffDelay(n, { initialDelayMs: 1000, maxDelayMs: 1000, factor: 1 })), [1000, 1000, 1000])
  // The loop waits exactly that long between failed attempts: nothing happens a millisecond earlier.
  const s = setup()
  const { client, peer } = await connected(s)
  s.net.failures = [1, 2, 3, 4, 5].map(() => new NetworkError('Connection refused'))
  peer.drop()
  for (const [i, wait] of [1000, 2000, 4000, 8000, 8000].entries()) {
    await s.clock.armed()
    s.clock.advance(wait - 1)
    await settle()
    assert.equal(s.net.attempts, 1 + i, `attempt ${i + 2} not before ${wait} ms`)
    s.clock.advance(1)
    await settle()
    assert.equal(s.net.attempts, 2 + i)
  }
  await s.clock.armed()
  s.clock.advance(8000) // a success resets the backoff
  const back = await accept(s.net, true)
  back.drop()
  await s.clock.armed()
  s.clock.advance(1000)
  await accept(s.net, true)
  assert.equal(s.net.attempts, 8)
  client.destroy()
})

test('a reconnect the broker refuses ends the client with that refusal', async () => {
  const s = setup()
  const { client, peer } = await connected(s)
  const pending = client.publish('t', 'x', { qos: 1 })
  await peer.expect('publish')
  peer.drop()
  await s.clock.armed()
  s.clock.advance(1000)
  const again = await s.net.nextConnection()
  await again.expect('connect')
  again.connack(false, 5)
  const reason = await client.closed
  assert.ok(reason instanceof ConnackRefusedError && reason.reasonCode === 5)
  await assert.rejects(pending, ConnackRefusedError)
})

test('without reconnect a drop ends the client and fails what is in flight', async () => {
  const s = setup({ reconnect: false })
  const { client, peer } = await connected(s)
  const pending = client.publish('t', 'x', { qos: 1 })
  await peer.expect('publish')
  peer.drop()
  assert.ok(await client.closed)
  await assert.rejects(pending)
  assert.equal(s.net.attempts, 1)
})

test('createClient keeps trying until the broker is there; disconnect() stops the loop', async () => {
  const s = setup()
  s.net.failures = [new NetworkError('Connection refused')]
  const client = createClient('mqtt://broker', s.options)
  const queued = client.publish('t', 'early', { qos: 1 })
  await s.clock.armed()
  s.clock.advance(1000)
  const peer = await accept(s.net, false)
  const p = await peer.expect('publish')
  assert.equal(payloads([p])[0], 'early')
  peer.send({ cmd: 'puback', messageId: p.messageId! })
  await queued
  const bye = client.disconnect()
  await peer.expect('disconnect')
  peer.drop()
  await bye
  assert.equal(await client.closed, undefined)
})

test('manual ack: PUBACK only when the application says so, in arrival order [MQTT-4.6.0-2]; a resend is not delivered twice', async () => {
  const s = setup({ manualAck: true })
  const { client, peer } = await connected(s)
  const got: PublishPacket[] = []
  client.onMessage = (m) => got.push(m)
  for (const id of [11, 12]) peer.send({ cmd: 'publish', topic: 't', payload: Buffer.from(`m${id}`), qos: 1, retain: false, dup: false, messageId: id })
  peer.send({ cmd: 'publish', topic: 't', payload: Buffer.from('m11'), qos: 1, retain: false, dup: true, messageId: 11 })
  await settle()
  assert.deepEqual(payloads(got), ['m11', 'm12'])
  client.ack(got[1]!) // handled out of order: nothing may leave yet
  client.ack(got[0]!)
  const acks = [await peer.expect('puback'), await peer.expect('puback')]
  assert.deepEqual(acks.map((a) => a.messageId), [11, 12])
  client.destroy()
})

test('manual ack of QoS 2 holds PUBREC until handled; an ack made while offline leaves after the reconnect', async () => {
  const s = setup({ manualAck: true })
  const { client, peer } = await connected(s)
  const got: PublishPacket[] = []
  client.onMessage = (m) => got.push(m)
  peer.send({ cmd: 'publish', topic: 't', payload: Buffer.from('q2'), qos: 2, retain: false, dup: false, messageId: 7 })
  await settle()
  assert.equal(got.length, 1)
  peer.drop()
  await s.clock.armed()
  client.ack(got[0]!)
  s.clock.advance(1000)
  const again = await accept(s.net, true)
  assert.equal((await again.expect('pubrec')).messageId, 7, 'the ack made offline leaves on the new connection')
  again.send({ cmd: 'publish', topic: 't', payload: Buffer.from('q2'), qos: 2, retain: false, dup: true, messageId: 7 })
  assert.equal((await again.expect('pubrec')).messageId, 7, 'a resend is acknowledged again [MQTT-4.3.3-9]')
  again.send({ cmd: 'pubrel', messageId: 7 })
  assert.equal((await again.expect('pubcomp')).messageId, 7)
  assert.equal(got.length, 1, 'the resend was not delivered again')
  client.destroy()
})

test('messages() iterates every message until the client ends', async () => {
  const s = setup({ reconnect: false })
  const { client, peer } = await connected(s)
  const it = client.messages()
  for (const m of ['one', 'two']) peer.send({ cmd: 'publish', topic: 't', payload: Buffer.from(m), qos: 0, retain: false, dup: false })
  const seen: string[] = []
  for await (const m of it) {
    seen.push(Buffer.from(m.payload as Buffer).toString())
    if (seen.length === 2) void client.disconnect()
  }
  assert.deepEqual(seen, ['one', 'two'])
})
