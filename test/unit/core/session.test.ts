import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Session, type Action } from '../../../src/core/session.js'
import type { PublishPacket } from '../../../src/codec/index.js'

const pub = (o: Partial<PublishPacket> = {}): PublishPacket =>
  ({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, retain: false, dup: false, ...o })
const kinds = (a: Action[] | null) => (a ?? []).map((x) => x.kind === 'send' ? `send:${x.packet.cmd}` : x.kind)
const sent = (a: Action[] | null) => (a ?? []).flatMap((x) => (x.kind === 'send' ? [x.packet] : []))

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
  const [a] = s.publish(pub({ qos: 1 }), 'tag')!
  assert.ok(a?.kind === 'send' && a.packet.cmd === 'publish')
  const id = (a.packet as PublishPacket).messageId!
  const settled = s.onPuback({ cmd: 'puback', messageId: id, reasonCode: 0x87 })
  assert.deepEqual(settled, [{ kind: 'settled', messageId: id, reasonCode: 0x87, tag: 'tag' }])
  assert.equal(s.inflightCount, 0)
})

test('outbound QoS 2 goes PUBLISH, PUBREC→PUBREL, PUBCOMP→settled', () => {
  const s = new Session<number>()
  const id = (sent(s.publish(pub({ qos: 2 }), 1))[0] as PublishPacket).messageId!
  assert.deepEqual(kinds(s.onPubrec({ cmd: 'pubrec', messageId: id })), ['send:pubrel'])
  assert.deepEqual(kinds(s.onPuback({ cmd: 'puback', messageId: id })), [], 'a PUBACK does not finish a QoS 2 flow')
  assert.deepEqual(kinds(s.onPubcomp({ cmd: 'pubcomp', messageId: id })), ['settled'])
})

test('a PUBREC with a failure code ends the QoS 2 flow without PUBREL [MQTT-4.3.3-4]', () => {
  const s = new Session<number>()
  const id = (sent(s.publish(pub({ qos: 2 }), 1))[0] as PublishPacket).messageId!
  assert.deepEqual(kinds(s.onPubrec({ cmd: 'pubrec', messageId: id, reasonCode: 0x87 })), ['settled'])
})

test('the inflight window queues publishes and releases them one per ack, in order', () => {
  const s = new Session<number>({ maxInflight: 2 })
  const first = sent(s.publish(pub({ payload: Buffer.from('1') }), 1))
  sent(s.publish(pub({ payload: Buffer.from('2') }), 2))
  assert.deepEqual(s.publish(pub({ payload: Buffer.from('3') }), 3), [])
  assert.equal(s.queuedCount, 1)
  const after = s.onPuback({ cmd: 'puback', messageId: (first[0] as PublishPacket).messageId! })
  assert.deepEqual(kinds(after), ['settled', 'send:publish'])
  assert.equal(((sent(after)[0] as PublishPacket).payload as Buffer).toString(), '3')
})

test('a full queue drops the publish (max_queued_messages)', () => {
  const s = new Session<number>({ maxInflight: 1, maxQueued: 1 })
  s.publish(pub(), 1)
  s.publish(pub(), 2)
  assert.equal(s.publish(pub(), 3), null)
})

test('QoS 0 bypasses the window', () => {
  const s = new Session<number>({ maxInflight: 1 })
  s.publish(pub({ qos: 1 }), 1)
  assert.deepEqual(kinds(s.publish(pub({ qos: 0 }), 2)), ['send:publish'])
})

test('resend after reconnect: PUBLISH with DUP for unacked, PUBREL for those awaiting PUBCOMP [MQTT-4.4.0-1]', () => {
  const s = new Session<number>()
  const a = sent(s.publish(pub({ qos: 1 }), 1))[0] as PublishPacket
  const b = sent(s.publish(pub({ qos: 2 }), 2))[0] as PublishPacket
  s.onPubrec({ cmd: 'pubrec', messageId: b.messageId! })
  const again = sent(s.resend())
  assert.equal(again.length, 2)
  assert.equal(again[0]!.cmd, 'publish')
  assert.equal((again[0] as PublishPacket).dup, true)
  assert.equal((again[0] as PublishPacket).messageId, a.messageId)
  assert.equal(again[1]!.cmd, 'pubrel')
})
