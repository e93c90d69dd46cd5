// Every record type written and read back.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { makeMessage } from '../../../../src/broker/message.js'
import { propertyOrder, withPropertyOrder } from '../../../../src/codec/index.js'
import { Writer } from '../../../../src/broker/persistence/binary.js'
import {
  Image, parseRecords, writeEnd, writeInbound, writeMessage, writeOut, writeOutDone, writeRetain, writeSession, writeSub, writeUnsub,
} from '../../../../src/broker/persistence/records.js'
import { BrokerSession } from '../../../../src/broker/session.js'
import { Accounting } from '../../../../src/broker/session-events.js'
import { newStats } from '../../../../src/broker/stats.js'

function read(w: Writer): Image {
  const image = new Image()
  const ops = parseRecords(w.take())
  assert.ok(ops, 'the records parse')
  for (const op of ops) op(image)
  return image
}

test('a message keeps its topic, payload bytes, flags, expiry and v5 properties (binary correlation data too)', () => {
  const props = { contentType: 'a/b', correlationData: Buffer.from([0, 255, 1]), userProperties: { k: ['1', '2'], z: 'x' }, payloadFormatIndicator: true }
  const m = makeMessage('t/ü', Buffer.from([0, 1, 2, 250]), 2, true, props, 1000)
  m.storeId = 7
  const w = new Writer(8)
  writeMessage(w, m)
  writeRetain(w, 't/ü', 7)
  const image = read(w)
  const back = image.messages.get(7)!
  assert.deepEqual([back.topic, [...back.payload], back.qos, back.retain, back.expiresAt], ['t/ü', [0, 1, 2, 250], 2, true, 0])
  assert.deepEqual(back.properties, props)
  assert.equal(propertyOrder(back.properties), undefined)
  const ordered = makeMessage('o', Buffer.from('x'), 0, false, withPropertyOrder({ userProperties: { a: ['1', '3'], b: '2' } }, [['a', '1'], ['b', '2'], ['a', '3']]), 0)
  ordered.storeId = 8
  const w2 = new Writer()
  writeMessage(w2, ordered)
  assert.deepEqual(propertyOrder(read(w2).messages.get(8)!.properties), [['a', '1'], ['b', '2'], ['a', '3']], 'the wire order of user properties survives a restart [MQTT-3.3.2-18] (v5)')
  assert.equal(image.retained.get('t/ü'), 7)
  assert.equal(image.maxMessageId, 7)
})

test('a session: its fields, will, subscriptions (all flags), entries (every state), inbound ids, and removals', () => {
  const s = new BrokerSession('dev-1', new Accounting(newStats(0), () => false), 10, 10)
  s.storeNo = 3
  s.expiryMs = Infinity
  s.disconnectedAt = 12345
  s.willDueAt = 99999
  s.info = { clientId: 'dev-1', username: 'u', protocolVersion: 5, remoteAddress: '1.2.3.4:5', listener: '1883' }
  const will = makeMessage('dev/will', Buffer.from('bye'), 1, false, undefined, 0)
  will.storeId = 1
  s.will = { message: will, delayMs: 5000 }
  const w = new Writer()
  writeSession(w, s)
  writeSub(w, 3, { filter: 'a/#', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2, id: 268435455 })
  writeSub(w, 3, { filter: 'b', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 1, id: undefined })
  writeSub(w, 3, { filter: 'c', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0, id: undefined })
  writeUnsub(w, 3, 'c')
  writeOut(w, 3, { seq: 1, msgId: 4, qos: 2, retain: true, id: 65535, state: 'pubcomp', subIds: [1, 2] })
  writeOut(w, 3, { seq: 2, msgId: 5, qos: 1, retain: false, id: 0, state: 'queued', subIds: undefined })
  writeOut(w, 3, { seq: 3, msgId: 5, qos: 1, retain: false, id: 9, state: 'puback', subIds: undefined })
  writeOutDone(w, 3, 3)
  writeInbound(w, 3, 77, true)
  writeInbound(w, 3, 78, true)
  writeInbound(w, 3, 77, false)
  const image = read(w)
  const back = image.sessions.get(3)!
  assert.deepEqual([back.clientId, back.expiryMs, back.disconnectedAt, back.willDueAt], ['dev-1', Infinity, 12345, 99999])
  assert.deepEqual(back.info, s.info)
  assert.deepEqual(back.will, { msgId: 1, delayMs: 5000 })
  assert.deepEqual([...back.subs.keys()], ['a/#', 'b'])
  assert.deepEqual(back.subs.get('a/#'), { filter: 'a/#', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2, id: 268435455 })
  assert.deepEqual(back.subs.get('b')?.retainHandling, 1)
  assert.deepEqual([...back.out.entries()], [
    [1, { msgId: 4, qos: 2, retain: true, id: 65535, state: 'pubcomp', subIds: [1, 2] }],
    [2, { msgId: 5, qos: 1, retain: false, id: 0, state: 'queued', subIds: undefined }],
  ])
  assert.deepEqual([...back.inbound], [78])
  const w2 = new Writer()
  writeEnd(w2, 3)
  writeRetain(w2, 'x', 0)
  const ops = parseRecords(w2.take())!
  for (const op of ops) op(image)
  assert.equal(image.sessions.size, 0)
})

test('bytes that are no record do not parse (the frame counts as damaged)', () => {
  assert.equal(parseRecords(Buffer.from([42])), undefined)
  const w = new Writer()
  writeRetain(w, 'topic', 5)
  const cut = w.take().subarray(0, 4)
  assert.equal(parseRecords(cut), undefined)
})
