// Malformed input and protocol violations close that one client; the broker keeps serving others.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DisconnectPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { Inbox, client, startBroker, until } from '../../helpers/broker-start.js'

const CONNECT_V4 = [0x10, 13, 0, 4, ...Buffer.from('MQTT'), 4, 0x02, 0, 60, 0, 1, 0x78] // client id "x"

/** After each bad peer, a healthy client must still get its messages. */
async function stillServing(url: string, t: Parameters<typeof client>[0]): Promise<void> {
  const c = await client(t, url)
  const inbox = new Inbox(c)
  await c.subscribeAsync('alive', { qos: 1 })
  await c.publishAsync('alive', 'yes', { qos: 1 })
  assert.equal((await inbox.next()).payload.toString(), 'yes')
}

const cases: ReadonlyArray<[string, number[]]> = [
  ['a packet before CONNECT [MQTT-3.1.0-1]', [0x30, 5, 0, 1, 0x61, 0x68, 0x69]],
  ['reserved flags on SUBSCRIBE', [...CONNECT_V4, 0x80, 6, 0, 1, 0, 1, 0x61, 0]],
  ['a remaining length longer than four bytes', [...CONNECT_V4, 0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]],
  ['an invalid UTF-8 topic', [...CONNECT_V4, 0x30, 6, 0, 2, 0xc3, 0x28, 0x68, 0x69]],
  ['an unknown packet type 0', [...CONNECT_V4, 0x00, 0]],
  ['a PUBLISH with QoS 3', [...CONNECT_V4, 0x36, 5, 0, 1, 0x61, 0, 1]],
  ['a second CONNECT [MQTT-3.1.0-2]', [...CONNECT_V4, ...CONNECT_V4]],
  ['a wrong protocol name', [0x10, 13, 0, 4, ...Buffer.from('MQTX'), 4, 0x02, 0, 60, 0, 1, 0x78]],
  ['a SUBSCRIBE with no topics', [...CONNECT_V4, 0x82, 2, 0, 1]],
]

for (const [name, bytes] of cases) {
  test(`${name} closes that connection only`, async (t) => {
    const { url, port, broker } = await startBroker(t)
    const peer = await Peer.open(t, port, 4)
    peer.write(bytes)
    await peer.closedWithin()
    await stillServing(url, t)
    await until(() => broker.stats.clientsConnected === 1)
  })
}

test('a truncated packet followed by a close is handled', async (t) => {
  const { url, port } = await startBroker(t)
  const peer = await Peer.open(t, port, 4)
  peer.write([...CONNECT_V4, 0x30, 20, 0, 5, 0x61])
  peer.socket.end()
  await peer.closedWithin()
  await stillServing(url, t)
})

test('v5: a protocol error after CONNECT gets DISCONNECT 0x82 first', async (t) => {
  const { port, logs } = await startBroker(t)
  const peer = await Peer.connected(t, port, 5, 'v5bad')
  peer.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'again', clean: true, keepalive: 60 })
  const last = await peer.closedWithin()
  assert.equal((last[0] as DisconnectPacket).reasonCode, 0x82)
  assert.ok(logs.some(([, l]) => l === 'Client v5bad disconnected due to protocol error.'))
})

test('random bytes from a seeded PRNG never take the broker down', async (t) => {
  const { url, port } = await startBroker(t)
  let seed = 0x2545f491
  const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 2 ** 32 }
  for (let round = 0; round < 40; round++) {
    const peer = await Peer.open(t, port, 4)
    const len = 1 + Math.floor(rand() * 64)
    const junk = Array.from({ length: len }, () => Math.floor(rand() * 256))
    peer.write(round % 2 === 0 ? [...CONNECT_V4, ...junk] : junk)
    peer.socket.end()
    await peer.closedWithin()
  }
  await stillServing(url, t)
})
