// What the bridge needs of the client, over in-memory streams on a manual clock: the CONNECT with mosquitto's
// bridge bit (and its fallback), a reconnect hook that decides when to try again, and a close without DISCONNECT.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, createClient, type ClientOptions } from '../../../src/client/client.js'
import { encode, type ConnectPacket } from '../../../src/codec/index.js'
import { isBridgeConnect } from '../../../src/codec/packets.js'
import { ConnackRefusedError, NetworkError } from '../../../src/core/errors.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { MemoryNetwork, settle } from '../../helpers/memory-peer.js'

function setup(o: ClientOptions = {}) {
  const net = new MemoryNetwork()
  const clock = new ManualClock()
  return { net, clock, options: { clientId: 'b1', keepalive: 0, clock, transport: net.transport, ...o } satisfies ClientOptions }
}

/** The protocol level byte of a CONNECT as it goes on the wire (after the fixed header and the protocol name). */
function levelByte(p: ConnectPacket): number {
  const bytes = encode(p, p.protocolVersion ?? 4)
  return bytes[2 + 2 + (p.protocolId ?? 'MQTT').length]!
}

for (const [version, level] of [[4, 0x84], [3, 0x83]] as const) {
  test(`bridge: true sends protocol level ${level.toString(16)} (mosquitto's try_private, MQTT ${version === 3 ? '3.1' : '3.1.1'})`, async () => {
    const s = setup({ bridge: true, protocolVersion: version })
    const c = connect('mqtt://remote', s.options)
    const peer = await s.net.nextConnection()
    const p = await peer.expect('connect')
    assert.equal(isBridgeConnect(p), true)
    assert.equal(levelByte(p), level)
    peer.connack()
    ;(await c).destroy()
  })
}

test('bridge: true is no bit for MQTT 5 (as mosquitto: its subscriptions say no-local instead)', async () => {
  const s = setup({ bridge: true, protocolVersion: 5 })
  const c = connect('mqtt://remote', s.options)
  const peer = await s.net.nextConnection()
  const p = await peer.expect('connect')
  assert.equal(isBridgeConnect(p), false)
  assert.equal(levelByte(p), 5)
  peer.connack()
  ;(await c).destroy()
})

test('a broker refusing the bridge level (CONNACK 1) is asked again with the plain level, as libmosquitto does', async () => {
  const s = setup({ bridge: true, reconnect: { initialDelayMs: 1000, maxDelayMs: 1000, factor: 1 } })
  const client = createClient('mqtt://remote', s.options)
  const first = await s.net.nextConnection()
  assert.equal(isBridgeConnect(await first.expect('connect')), true)
  first.connack(false, 1)
  await s.clock.armed()
  s.clock.advance(1000)
  const second = await s.net.nextConnection()
  const p = await second.expect('connect')
  assert.equal(isBridgeConnect(p), false)
  assert.equal(levelByte(p), 4)
  second.connack()
  await settle()
  assert.equal(client.connected, true)
  client.destroy()
})

test('reconnect.next decides when the next attempt starts, is told why, and retries refusals', async () => {
  const reasons: (Error | undefined)[] = []
  let go: ((v: boolean) => void) | undefined
  const next = (reason: Error | undefined) => { reasons.push(reason); return new Promise<boolean>((r) => { go = r }) }
  const s = setup({ reconnect: { next } })
  const client = createClient('mqtt://remote', s.options)
  const first = await s.net.nextConnection()
  await first.expect('connect')
  first.connack(false, 5) // not authorised: a plain client would give up
  await settle()
  assert.ok(reasons[0] instanceof ConnackRefusedError)
  assert.equal(s.net.attempts, 1, 'no attempt before the hook says so')
  s.net.failures = [new NetworkError('Connection refused')]
  go!(true)
  await settle()
  assert.equal(s.net.attempts, 2)
  assert.ok(reasons[1] instanceof NetworkError)
  go!(true)
  const third = await s.net.nextConnection()
  await third.expect('connect')
  third.connack()
  await settle()
  assert.equal(client.connected, true)
  third.drop()
  await settle()
  assert.equal(reasons.length, 3, 'told about the lost connection too')
  go!(false)
  assert.equal(await client.closed, reasons[2], 'false ends the client, with the last reason')
})

test('disconnect() while reconnect.next is pending ends the loop without waiting for it', async () => {
  const s = setup({ reconnect: { next: () => new Promise<boolean>(() => {}) } })
  const client = createClient('mqtt://remote', s.options)
  const peer = await s.net.nextConnection()
  await peer.expect('connect')
  peer.connack()
  await settle()
  peer.drop()
  await settle()
  await client.disconnect()
  assert.equal(await client.closed, undefined)
})

test('close() ends the connection without DISCONNECT, after what was queued (the broker then publishes the will)', async () => {
  const s = setup({ reconnect: { initialDelayMs: 1000 } })
  const c = connect('mqtt://remote', s.options)
  const peer = await s.net.nextConnection()
  await peer.expect('connect')
  peer.connack()
  const client = await c
  void client.publish('t', 'last', { qos: 0 })
  await client.close()
  assert.equal((await peer.expect('publish')).topic, 't')
  const after = await Promise.race([peer.next().then((p) => p.cmd), settle(10).then(() => 'nothing')])
  assert.equal(after, 'nothing', 'no DISCONNECT')
  assert.equal(await client.closed, undefined)
  assert.equal(s.net.attempts, 1, 'no reconnect')
})
