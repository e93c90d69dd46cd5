import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Session, type Action, type Outbound, type Release, type SessionListener } from '../../../src/core/session.js'
import type { PublishPacket } from '../../../src/codec/index.js'
import { ProtocolError } from '../../../src/core/errors.js'

const pub = (o: Partial<PublishPacket> = {}): PublishPacket =>
  ({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, retain: false, dup: false, ...o })
const kinds = <T>(a: Action<T>[] | null) => (a ?? []).map((x) => x.kind === 'send' ? `send:${x.packet.cmd}` : x.kind)
/** The entries sent as PUBLISH, with their packet ids. */
const published = <T>(a: Action<T>[] | null) => (a ?? []).flatMap((x) => (x.kind === 'publish' ? [x] : []))
const idOf = <T>(a: Action<T>[] | null) => published(a)[0]!.entry.id

/** Records every event, for the owner-of-messages tests. */
function recorder() {
  const events: string[] = []
  const listener: SessionListener<string, string> = {
    held: (o, e) => { events.push(`${o} held ${e.tag}`) },
    changed: (o, e) => { events.push(`${o} ${e.tag} ${e.state}`) },
    released: (o, e, why: Release) => { events.push(`${o} released ${e.tag} ${why}`) },
    inbound: (o, id, added) => { events.push(`${o} inbound ${id} ${added ? '+' : '-'}`) },
  }
  return { events, listener }
}

test('inbound QoS 0 is delivered and not acknowledged', () => {
  assert.deepEqual(kinds(new Session().onPublish(pub({ qos: 0 }))), ['deliver'])
})

test('inbound QoS 1 is delivered then PUBACKed', () => {
  assert.deepEqual(kinds(new Session().onPublish(pub({ qos: 1, messageId: 4 }))), ['deliver', 'send:puback'])
})

test('a resent QoS 2 publish is acknowledged again but delivered once [MQTT-4.3.3-9]', () => {
  const s = new Session()
  assert.deepEqual(kinds(s.onPublish(pub({ qos: 2, messageId: 7 }))), ['deliver', 'send:pubrec'])
  assert.deepEqual(kinds(s.onPublish(pub({ qos: 2, messageId: 7, dup: true }))), ['send:pubrec'])
  assert.equal(s.inboundCount, 1)
  assert.deepEqual(kinds(s.onPubrel({ cmd: 'pubrel', messageId: 7 })), ['send:pubcomp'])
  // after PUBREL the id is free again: a new message with id 7 is delivered
  assert.deepEqual(kinds(s.onPublish(pub({ qos: 2, messageId: 7 }))), ['deliver', 'send:pubrec'])
})

test('a PUBREL for an unknown id is answered with PUBCOMP 0x92', () => {
  const [a] = new Session().onPubrel({ cmd: 'pubrel', messageId: 9 })
  assert.ok(a?.kind === 'send' && a.packet.cmd === 'pubcomp')
  assert.equal((a.packet as { reasonCode?: number }).reasonCode, 0x92)
})

test('outbound QoS 1 settles on PUBACK with its reason code', () => {
  const s = new Session<string>()
  const sent = s.publish('tag', 1)!
  assert.deepEqual(kinds(sent), ['publish'])
  const id = idOf(sent)
  const settled = s.onPuback({ cmd: 'puback', messageId: id, reasonCode: 0x87 })
  assert.equal(settled.length, 1)
  const [a] = settled
  assert.ok(a?.kind === 'settled')
  assert.deepEqual([a.entry.tag, a.entry.id, a.reasonCode], ['tag', id, 0x87])
  assert.equal(s.inflightCount, 0)
})

test('outbound QoS 2 goes PUBLISH, PUBREC→PUBREL, PUBCOMP→settled', () => {
  const s = new Session<number>()
  const id = idOf(s.publish(1, 2))
  assert.deepEqual(kinds(s.onPubrec({ cmd: 'pubrec', messageId: id })), ['send:pubrel'])
  assert.deepEqual(kinds(s.onPubrec({ cmd: 'pubrec', messageId: id })), ['send:pubrel'], 'a repeated PUBREC gets PUBREL again')
  assert.deepEqual(kinds(s.onPubcomp({ cmd: 'pubcomp', messageId: id })), ['settled'])
})

test('an acknowledgement of the wrong kind is a protocol error (MQTT 5 §4.13.1; 3.1.1 §4.8)', () => {
  const s = new Session<number>()
  const q2 = idOf(s.publish(1, 2))
  const q1 = idOf(s.publish(2, 1))
  assert.throws(() => s.onPuback({ cmd: 'puback', messageId: q2 }), (e: unknown) => e instanceof ProtocolError && e.reasonCode === 0x82)
  assert.throws(() => s.onPubcomp({ cmd: 'pubcomp', messageId: q1 }), ProtocolError)
  assert.throws(() => s.onPubrec({ cmd: 'pubrec', messageId: q1 }), ProtocolError)
  assert.throws(() => s.onPubcomp({ cmd: 'pubcomp', messageId: q2 }), ProtocolError, 'PUBCOMP before PUBREL')
  assert.deepEqual(s.onPuback({ cmd: 'puback', messageId: 999 }), [], 'an unknown id settles nothing')
})

test('a PUBREC with a failure code ends the QoS 2 flow without PUBREL [MQTT-4.3.3-4]', () => {
  const s = new Session<number>()
  const id = idOf(s.publish(1, 2))
  assert.deepEqual(kinds(s.onPubrec({ cmd: 'pubrec', messageId: id, reasonCode: 0x87 })), ['settled'])
})

test('the inflight window queues publishes and releases them one per ack, in order', () => {
  const s = new Session<number>({ maxInflight: 2 })
  const first = idOf(s.publish(1, 1))
  s.publish(2, 1)
  assert.deepEqual(s.publish(3, 1), [])
  assert.equal(s.queuedCount, 1)
  const after = s.onPuback({ cmd: 'puback', messageId: first })
  assert.deepEqual(kinds(after), ['settled', 'publish'])
  assert.equal(published(after)[0]!.entry.tag, 3)
})

test('a full queue refuses the publish (max_queued_messages)', () => {
  const s = new Session<number>({ maxInflight: 1, maxQueued: 1 })
  s.publish(1, 1)
  s.publish(2, 1)
  assert.equal(s.publish(3, 1), null)
})

test('offline, everything queues; resume sends in order up to the window', () => {
  const s = new Session<number>({ maxInflight: 2, online: false })
  for (const n of [1, 2, 3]) assert.deepEqual(s.publish(n, 1), [])
  assert.equal(s.queuedCount, 3)
  const r = s.resume()
  assert.deepEqual(published(r).map((p) => [p.entry.tag, p.dup]), [[1, false], [2, false]])
  assert.equal(s.queuedCount, 1)
})

test('resume after a reconnect: PUBLISH with DUP for unacked, PUBREL for those awaiting PUBCOMP, in order [MQTT-4.4.0-1]', () => {
  const s = new Session<number>()
  const a = idOf(s.publish(1, 1))
  const b = idOf(s.publish(2, 2))
  s.onPubrec({ cmd: 'pubrec', messageId: b })
  s.suspend()
  assert.deepEqual(s.publish(3, 1), [], 'nothing is sent while offline')
  const again = s.resume()
  assert.deepEqual(kinds(again), ['publish', 'send:pubrel', 'publish'])
  const [first] = published(again)
  assert.deepEqual([first!.entry.id, first!.dup], [a, true])
  assert.equal(published(again)[1]!.dup, false, 'a message never sent before goes out without DUP')
})

test('the listener hears held, in flight, released — and inbound QoS 2 ids', () => {
  const { events, listener } = recorder()
  const s = new Session<string, string>({ listener, owner: 'S', maxInflight: 1 })
  const id = idOf(s.publish('a', 2))
  s.publish('b', 1)
  s.onPubrec({ cmd: 'pubrec', messageId: id })
  s.onPubcomp({ cmd: 'pubcomp', messageId: id })
  s.onPublish(pub({ qos: 2, messageId: 5 }))
  s.onPubrel({ cmd: 'pubrel', messageId: 5 })
  assert.deepEqual(events, [
    'S held a', 'S a pubrec', 'S held b', 'S a pubcomp', 'S released a acked', 'S b puback', 'S inbound 5 +', 'S inbound 5 -',
  ])
})

test('discard releases every message once; a refused one is released as refused', () => {
  const { events, listener } = recorder()
  const s = new Session<string, string>({ listener, owner: 'S', maxInflight: 1 })
  const id = idOf(s.publish('a', 1))
  s.publish('b', 1)
  s.publish('c', 1)
  s.onPuback({ cmd: 'puback', messageId: id, reasonCode: 0x80 })
  events.length = 0
  assert.deepEqual(s.discard().map((e) => e.tag), ['b', 'c'])
  assert.deepEqual(events, ['S released b discarded', 'S released c discarded'])
  assert.equal(s.inflightCount + s.queuedCount, 0)
  assert.equal(s.ids.size, 0, 'the packet ids are free again')
})

test('a message the listener drops as it goes in flight is released as dropped, and the next one goes', () => {
  const events: string[] = []
  const listener: SessionListener<string, undefined> = {
    held: () => {}, changed: () => {}, inbound: () => {},
    released: (_o, e, why) => { events.push(`${e.tag} ${why}`) },
    drop: (_o, e: Outbound<string>) => e.tag === 'expired',
  }
  const s = new Session<string>({ listener, online: false })
  s.publish('expired', 1)
  s.publish('fresh', 1)
  assert.deepEqual(published(s.resume()).map((p) => p.entry.tag), ['fresh'])
  assert.deepEqual(events, ['expired dropped'])
})

test('snapshot and restore keep in-flight ids, states, order and inbound ids', () => {
  const s = new Session<string>({ maxInflight: 2 })
  const a = idOf(s.publish('a', 1))
  const b = idOf(s.publish('b', 2))
  s.publish('c', 1)
  s.onPubrec({ cmd: 'pubrec', messageId: b })
  s.onPublish(pub({ qos: 2, messageId: 42 }))
  const snap = s.snapshot()
  const { events, listener } = recorder()
  const r = new Session<string, string>({ listener, owner: 'R', maxInflight: 2, online: false })
  r.restore(snap)
  assert.deepEqual(events, ['R held a', 'R held b', 'R held c'], 'counts are right from the start')
  assert.equal(r.inboundCount, 1)
  assert.deepEqual(kinds(r.onPublish(pub({ qos: 2, messageId: 42, dup: true }))), ['send:pubrec'], 'a resend after a restart is not delivered again')
  const again = r.resume()
  assert.deepEqual(kinds(again), ['publish', 'send:pubrel'])
  assert.deepEqual([published(again)[0]!.entry.id, published(again)[0]!.dup], [a, true])
  assert.deepEqual(r.snapshot(), { ...snap, inbound: [42] })
  // the restored ids stay reserved: the next message gets another one
  const next = r.onPuback({ cmd: 'puback', messageId: a })
  assert.notEqual(published(next)[0]!.entry.id, b)
})

test('manualAck: QoS 1/2 are delivered with an ack handle and acknowledged only by ack(), in arrival order [MQTT-4.6.0-2]', () => {
  const s = new Session({ manualAck: true })
  const a = s.onPublish(pub({ qos: 1, messageId: 1 }))
  const b = s.onPublish(pub({ qos: 2, messageId: 2 }))
  assert.deepEqual([kinds(a), kinds(b)], [['deliver'], ['deliver']])
  const handle = (x: Action<unknown>[]) => { const d = x[0]; assert.ok(d?.kind === 'deliver' && d.ack); return d.ack }
  assert.deepEqual(kinds(s.ack(handle(b))), [], 'the later one waits for the earlier one')
  assert.deepEqual(kinds(s.ack(handle(a))), ['send:puback', 'send:pubrec'])
  assert.deepEqual(kinds(s.ack(handle(a))), [], 'a second ack sends nothing')
  assert.equal(s.inboundCount, 1, 'QoS 2 now awaits PUBREL')
})

test('manualAck: a resend of a message still with the application is not delivered again', () => {
  const s = new Session({ manualAck: true })
  s.onPublish(pub({ qos: 1, messageId: 5 }))
  assert.deepEqual(kinds(s.onPublish(pub({ qos: 1, messageId: 5, dup: true }))), [])
})

test('resume(false): a new session on the peer gets unacknowledged messages as new ones; PUBREC-ed QoS 2 settle', () => {
  const s = new Session<string>()
  const q2 = idOf(s.publish('q2', 2))
  s.onPubrec({ cmd: 'pubrec', messageId: q2 })
  const q1 = idOf(s.publish('q1', 1))
  s.onPublish(pub({ qos: 2, messageId: 9 }))
  s.suspend()
  const actions = s.resume(false)
  assert.deepEqual(kinds(actions), ['settled', 'publish'])
  const p = published(actions)[0]!
  assert.deepEqual([p.entry.tag, p.entry.id, p.dup], ['q1', q1, false])
  assert.equal(s.inboundCount, 0, 'the old QoS 2 ids are forgotten')
  assert.deepEqual(kinds(s.onPublish(pub({ qos: 2, messageId: 9 }))), ['deliver', 'send:pubrec'])
})
