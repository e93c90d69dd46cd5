// CONNECT: client ids, keepalive limits and enforcement, CONNACK properties, authentication, takeover.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConnackPacket, DisconnectPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { VERSIONS, client, startBroker } from '../../helpers/broker-start.js'

const AUTO_ID = /^auto-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/

test('v3.1.1: an empty client id with clean session gets auto-<UUID>', async (t) => {
  const { port, logs } = await startBroker(t)
  const peer = await Peer.connected(t, port, 4, '')
  assert.equal((peer.packets[0] as ConnackPacket).returnCode, 0)
  assert.ok(logs.some(([, l]) => /^New client connected from 127\.0\.0\.1:\d+ as auto-[0-9A-F-]{36} \(p2, c1, k60\)\.$/.test(l)))
})

test('v5: an empty client id is assigned and returned as assigned-client-identifier [MQTT-3.2.2-16]', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.connected(t, port, 5, '')
  assert.match(String((peer.packets[0] as ConnackPacket).properties?.assignedClientIdentifier), AUTO_ID)
})

test('v3.1: an empty client id is rejected with CONNACK 2 (identifier rejected)', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.open(t, port, 3)
  // exact bytes: mqtt-packet refuses to encode this CONNECT
  peer.write([0x10, 14, 0, 6, ...Buffer.from('MQIsdp'), 3, 0x02, 0, 60, 0, 0])
  const ack = await peer.next() as ConnackPacket
  assert.equal(ack.returnCode, 2)
  await peer.closedWithin()
})

test('v3.1.1: an empty client id without clean session is rejected [MQTT-3.1.3-8]', async (t) => {
  const { port } = await startBroker(t)
  const peer = await Peer.open(t, port, 4)
  peer.write([0x10, 12, 0, 4, ...Buffer.from('MQTT'), 4, 0x00, 0, 60, 0, 0])
  assert.equal((await peer.next() as ConnackPacket).returnCode, 2)
})

test('allowZeroLengthClientId false refuses empty ids (v5 0x85)', async (t) => {
  const { port } = await startBroker(t, { allowZeroLengthClientId: false })
  const peer = await Peer.open(t, port, 5)
  peer.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: '', clean: true, keepalive: 60 })
  assert.equal((await peer.next() as ConnackPacket).reasonCode, 0x85)
})

test('v3.1 clients connect and are logged as p1', async (t) => {
  const { url, logs } = await startBroker(t)
  const c = await client(t, url, { protocolVersion: 3, protocolId: 'MQIsdp', clientId: 'old', keepalive: 30 })
  assert.equal(c.connected, true)
  assert.ok(logs.some(([, l]) => /as old \(p1, c1, k30\)\.$/.test(l)))
})

for (const v of VERSIONS) {
  test(`v${v}: a client silent for 1.5 × keepalive is disconnected [MQTT-3.1.2-24]`, async (t) => {
    const { port, logs } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'quiet', { keepalive: 1 })
    const started = Date.now()
    const last = await peer.closedWithin(4000)
    const waited = Date.now() - started
    assert.ok(waited >= 1400 && waited < 3000, `closed after ${waited} ms`)
    if (v === 5) assert.equal((last[0] as DisconnectPacket).reasonCode, 0x8d)
    assert.ok(logs.some(([, l]) => l === 'Client quiet has exceeded timeout, disconnecting.'))
  })

  test(`v${v}: PINGREQ keeps a connection alive and gets PINGRESP`, async (t) => {
    const { port } = await startBroker(t)
    const peer = await Peer.connected(t, port, v, 'pinger', { keepalive: 1 })
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700))
      peer.send({ cmd: 'pingreq' })
      assert.equal((await peer.next()).cmd, 'pingresp')
    }
    assert.equal(peer.isClosed, false)
  })

  test(`v${v}: a second connection with the same client id takes over the session [MQTT-3.1.4-2]`, async (t) => {
    const { port, logs } = await startBroker(t)
    const first = await Peer.connected(t, port, v, 'same')
    await Peer.connected(t, port, v, 'same')
    const last = await first.closedWithin()
    if (v === 5) assert.equal((last[0] as DisconnectPacket).reasonCode, 0x8e) // [MQTT-3.1.4-3]
    assert.ok(logs.some(([, l]) => l === 'Client same already connected, closing old connection.'))
  })
}

test('max_keepalive: v5 clients asking for more get server-keep-alive; v3 clients are refused', async (t) => {
  const { port } = await startBroker(t, { maxKeepalive: 10 })
  const v5 = await Peer.connected(t, port, 5, 'k5', { keepalive: 60 })
  assert.equal((v5.packets[0] as ConnackPacket).properties?.serverKeepAlive, 10)
  const v4 = await Peer.open(t, port, 4)
  v4.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'k4', clean: true, keepalive: 60 })
  assert.equal((await v4.next() as ConnackPacket).returnCode, 2)
})

test('v5 CONNACK announces topic-alias-maximum, and maximum-qos / retain-available when limited', async (t) => {
  const { port } = await startBroker(t, { maxQos: 1, retainAvailable: false })
  const peer = await Peer.connected(t, port, 5, 'props')
  const props = (peer.packets[0] as ConnackPacket).properties
  assert.equal(props?.topicAliasMaximum, 10)
  assert.equal(props?.maximumQoS, 1)
  assert.equal(props?.retainAvailable, false)
})

test('authenticate hook: refusal gives CONNACK 4/5 to v3 clients and the v5 reason to v5 clients', async (t) => {
  const { port, logs } = await startBroker(t, {
    hooks: { authenticate: (c) => (c.username === 'alice' && c.password?.toString() === 'pw' ? { ok: true } : { ok: false, reasonCode: 134 }) },
  })
  const bad4 = await Peer.open(t, port, 4)
  bad4.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'x', clean: true, keepalive: 60, username: 'alice', password: Buffer.from('no') })
  assert.equal((await bad4.next() as ConnackPacket).returnCode, 4)
  await bad4.closedWithin()
  const bad5 = await Peer.open(t, port, 5)
  bad5.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'y', clean: true, keepalive: 60 })
  assert.equal((await bad5.next() as ConnackPacket).reasonCode, 134)
  const good = await Peer.connected(t, port, 4, 'z', { username: 'alice', password: Buffer.from('pw') })
  assert.equal((good.packets[0] as ConnackPacket).returnCode, 0)
  assert.ok(logs.some(([, l]) => l === 'Client <unknown> disconnected, not authorised.'))
  assert.ok(logs.some(([, l]) => /as z \(p2, c1, k60, u'alice'\)\.$/.test(l)))
})

test('with several hook sets any deny wins (v3 not authorised = 5)', async (t) => {
  const { port } = await startBroker(t, {
    hooks: [{ authenticate: () => ({ ok: true }) }, { authenticate: async () => ({ ok: false, reasonCode: 135 }) }],
  })
  const peer = await Peer.open(t, port, 4)
  peer.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'x', clean: true, keepalive: 60 })
  assert.equal((await peer.next() as ConnackPacket).returnCode, 5)
})

test('connection log lines follow mosquitto', async (t) => {
  const { url, logs, port } = await startBroker(t)
  const c = await client(t, url, { clientId: 'logme', keepalive: 60 })
  await c.endAsync()
  const lines = logs.map(([, l]) => l)
  assert.ok(lines.some((l) => new RegExp(`^New connection from 127\\.0\\.0\\.1:\\d+ on port ${port}\\.$`).test(l)))
  assert.ok(lines.includes('Sending CONNACK to logme (0, 0)'))
  assert.ok(lines.includes('Client logme disconnected.'))
  const raw = await Peer.connected(t, port, 4, 'rude')
  raw.socket.destroy()
  for (let i = 0; i < 100 && !logs.some(([, l]) => l === 'Client rude closed its connection.'); i++) await new Promise((r) => setTimeout(r, 10))
  assert.ok(logs.some(([, l]) => l === 'Client rude closed its connection.'))
})
