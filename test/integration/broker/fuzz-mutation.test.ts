// Mutation fuzzing: valid MQTT 3.1.1 and 5.0 sessions (CONNECT with will and credentials, SUBSCRIBE,
// PUBLISH at every QoS, acks, UNSUBSCRIBE, PINGREQ, DISCONNECT) with bytes flipped, truncated, duplicated
// and inserted, fed to broker.handle() over in-memory streams. Random bytes alone die at the first byte;
// mutations of real sessions reach the handlers. The broker must never throw and must keep serving.
// Issue 10 adds seeds with deep topics and filters (around the 200-level limit and far past it), long
// property lists (hundreds of user properties in CONNECT, the will, PUBLISH, SUBSCRIBE) and the will
// path (sessions that end without DISCONNECT, so the will is published, with delays and retain).
import assert from 'node:assert/strict'
import { duplexPair } from 'node:stream'
import { test } from 'node:test'
import { encode, type Packet, type ProtocolVersion } from '../../../src/codec/index.js'
import { Inbox, client, startBroker } from '../../helpers/broker-start.js'

const ROUNDS = 1500

const deep = (levels: number) => Array.from({ length: levels }, (_, i) => `d${i % 3}`).join('/')
const manyUserProperties = (n: number) => ({ u: Array.from({ length: n }, (_, i) => `v${i}`), w: 'x' })

/** Deep topics and long property lists, ending without DISCONNECT: the will is due (when the CONNECT survived). */
function hostileSession(v: ProtocolVersion, id: string, levels: number): Buffer {
  const v5 = v === 5
  const packets: Packet[] = [
    {
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: id, clean: false, keepalive: 30,
      will: {
        topic: `fuzz/will/${deep(Math.min(levels, 150))}`, payload: Buffer.from('w'), qos: 2, retain: true,
        ...(v5 ? { properties: { willDelayInterval: 0, contentType: 'c', userProperties: manyUserProperties(200) } } : {}),
      },
      ...(v5 ? { properties: { sessionExpiryInterval: 5, userProperties: manyUserProperties(300) } } : {}),
    },
    { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `${deep(levels)}/#`, qos: 1 }, { topic: '+/+/#', qos: 2 }], ...(v5 ? { properties: { userProperties: manyUserProperties(100) } } : {}) },
    { cmd: 'publish', topic: deep(levels), payload: Buffer.from('deep'), qos: 1, messageId: 2, retain: true, dup: false, ...(v5 ? { properties: { userProperties: manyUserProperties(500), messageExpiryInterval: 9 } } : {}) },
    { cmd: 'publish', topic: 'fuzz/long', payload: Buffer.alloc(50, 1), qos: 2, messageId: 3, retain: false, dup: false, ...(v5 ? { properties: { userProperties: manyUserProperties(400), correlationData: Buffer.alloc(300) } } : {}) },
    { cmd: 'pubrel', messageId: 3 },
    { cmd: 'unsubscribe', messageId: 4, unsubscriptions: [deep(levels)] },
  ]
  return Buffer.concat(packets.map((p) => encode(p, v)))
}

function session(v: ProtocolVersion, id: string, clean: boolean): Buffer {
  const v5 = v === 5
  const packets: Packet[] = [
    {
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: id, clean, keepalive: 30, username: 'u', password: Buffer.from('p'),
      will: { topic: 'fuzz/will', payload: Buffer.from('w'), qos: 1, retain: true, ...(v5 ? { properties: { willDelayInterval: 1, userProperties: { a: 'b' } } } : {}) },
      ...(v5 ? { properties: { sessionExpiryInterval: 10, receiveMaximum: 5, topicAliasMaximum: 4, userProperties: { k: ['1', '2'] } } } : {}),
    },
    { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'fuzz/#', qos: 2, ...(v5 ? { nl: true, rap: true, rh: 1 } : {}) }, { topic: '$share/g/fuzz/+', qos: 1 }], ...(v5 ? { properties: { subscriptionIdentifier: 7 } } : {}) },
    { cmd: 'publish', topic: 'fuzz/a', payload: Buffer.from('zero'), qos: 0, retain: true, dup: false, ...(v5 ? { properties: { topicAlias: 1, messageExpiryInterval: 5, contentType: 'x' } } : {}) },
    { cmd: 'publish', topic: v5 ? '' : 'fuzz/a', payload: Buffer.from('one'), qos: 1, messageId: 2, retain: false, dup: false, ...(v5 ? { properties: { topicAlias: 1, responseTopic: 'r', correlationData: Buffer.from([1]) } } : {}) },
    { cmd: 'publish', topic: 'fuzz/b', payload: Buffer.alloc(300, 7), qos: 2, messageId: 3, retain: false, dup: false },
    { cmd: 'pubrel', messageId: 3 },
    { cmd: 'puback', messageId: 1 },
    { cmd: 'pubrec', messageId: 2 },
    { cmd: 'pubcomp', messageId: 2 },
    { cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['fuzz/#'] },
    { cmd: 'pingreq' },
    { cmd: 'disconnect', ...(v5 ? { reasonCode: 4 } : {}) },
  ]
  return Buffer.concat(packets.map((p) => encode(p, v)))
}

test(`${ROUNDS} mutated v3.1.1/v5 sessions never throw, and the broker keeps serving`, async (t) => {
  const { broker, url } = await startBroker(t, { logger: () => {} })
  let seed = 0x9e3779b9
  const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n }
  const seeds = [
    session(4, 'f1', true), session(4, 'f2', false), session(5, 'f1', true), session(5, 'f3', false), session(4, '', true), session(5, '', true),
    hostileSession(4, 'h1', 199), hostileSession(5, 'h2', 200), hostileSession(5, 'h3', 2_000), hostileSession(4, 'h4', 10_000),
  ]
  // Wills must keep being published along the way (the will path is reached, not just parsed).
  const watcher = await client(t, url, { protocolVersion: 5 })
  const wills = new Inbox(watcher)
  await watcher.subscribeAsync('fuzz/will/#', { qos: 0 })
  for (let round = 0; round < ROUNDS; round++) {
    let bytes = Buffer.from(seeds[rand(seeds.length)]!)
    for (let m = 1 + rand(4); m > 0; m--) {
      const at = rand(bytes.length)
      switch (rand(5)) {
        case 0: bytes[at] = bytes[at]! ^ (1 << rand(8)); break
        case 1: bytes[at] = [0, 0xff, 0x7f, 0x80][rand(4)]!; break
        case 2: bytes = bytes.subarray(0, at); break
        case 3: bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + 1 + rand(16)), bytes.subarray(at)]); break
        default: bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + rand(8) }, () => rand(256))), bytes.subarray(at)])
      }
    }
    const [ours, theirs] = duplexPair()
    ours.on('data', () => {}).on('error', () => {})
    broker.handle(theirs, { remoteAddress: `fuzz:${round}`, listener: 'fuzz' })
    // The broker must close its end once ours has ended (destroying one end of a duplexPair does not close the other).
    let lingered = false
    const closed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => { lingered = true; theirs.destroy(); resolve() }, 2000)
      theirs.once('close', () => { clearTimeout(timer); resolve() })
    })
    ours.end(bytes)
    await closed
    assert.equal(lingered, false, `round ${round}: the broker kept a connection whose peer had gone`)
  }
  // A healthy client still gets its messages.
  const c = await client(t, url)
  const inbox = new Inbox(c)
  await c.subscribeAsync('alive', { qos: 1 })
  await c.publishAsync('alive', 'yes', { qos: 1 })
  assert.equal((await inbox.next()).payload.toString(), 'yes')
  // The mutations must keep reaching the handlers, not just the first byte.
  assert.ok(broker.stats.publishReceived > ROUNDS / 2, `publishes handled: ${broker.stats.publishReceived}`)
  assert.ok(wills.messages.length > ROUNDS / 20, `wills published: ${wills.messages.length}`)
  assert.ok(broker.stats.subscriptionsCount > 0 && broker.stats.clientsDisconnected > 0, 'subscriptions and persistent sessions were created')
})
