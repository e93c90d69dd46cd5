// tspub --ndjson's reader is the inverse of tssub --json's writer: what one writes, the other reads back to
// the same message (properties in wire order), and a malformed line gets one clear text.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encode, type PublishPacket, type PublishProperties } from '../../../src/codec/index.js'
import { propertyOrder, withPropertyOrder } from '../../../src/codec/property-order.js'
import { ndjsonLine } from '../../../src/cli/format/ndjson.js'
import { parseTst, readNdjsonLine, type ReplayDefaults } from '../../../src/cli/format/ndjson-read.js'
import type { ReceivedMessage } from '../../../src/cli/format/message.js'
import { LineError } from '../../../src/cli/line-error.js'

const D: ReplayDefaults = { qos: 0, retain: false }
const at = { epochMs: 0, ns: 0n }
const T = { sec: 1795000000, nsec: 123456789 }

function received(p: Partial<ReceivedMessage>): ReceivedMessage {
  return { topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, messageId: 0, receivedAt: at, ...p }
}

/** The v5 PUBLISH bytes of a message, as the client would send it: the round trip's byte-for-byte check. */
function wire(m: { topic: string; payload: Buffer; qos: number; retain: boolean; properties?: PublishProperties }): Buffer {
  const p = { cmd: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup: false, messageId: m.qos > 0 ? 1 : undefined, ...(m.properties ? { properties: m.properties } : {}) } as PublishPacket
  return encode(p, 5)
}

test('every kind of message reads back from its tssub --json line to the same PUBLISH bytes', () => {
  const ordered = withPropertyOrder({
    userProperties: { a: ['1', '3'], b: '2' }, contentType: 'text/plain',
  } as PublishProperties, [['a', '1'], ['b', '2'], ['a', '3'], 'contentType'])
  const cases: ReceivedMessage[] = [
    received({ topic: 'bin', payload: Buffer.from([0, 0xff, 0x80, 10, 13]), qos: 1, messageId: 7 }),
    received({ topic: 'empty', payload: Buffer.alloc(0) }),
    received({ topic: 'utf8/ünï/😀', payload: Buffer.from('grüße 😀 "quoted"\n\\'), qos: 2, messageId: 9, retain: true }),
    received({ topic: 'props', payload: Buffer.from('x'), properties: {
      payloadFormatIndicator: true, messageExpiryInterval: 3600, contentType: 'application/json', responseTopic: 'reply/to',
      correlationData: Buffer.from([1, 2, 0xfe]), userProperties: { k: 'v' },
    } }),
    received({ topic: 'ordered', payload: Buffer.from('y'), properties: ordered, wireProperties: [
      { name: 'userProperty', key: 'a', value: '1' }, { name: 'userProperty', key: 'b', value: '2' },
      { name: 'userProperty', key: 'a', value: '3' }, { name: 'contentType', value: 'text/plain' },
    ] }),
    received({ topic: 'corr-text', payload: Buffer.from('z'), properties: { correlationData: Buffer.from('abc') } }),
  ]
  for (const m of cases) {
    const line = ndjsonLine(m, T)
    const back = readNdjsonLine(line.subarray(0, -1), D)!
    assert.equal(back.topic, m.topic)
    assert.deepEqual(back.payload, m.payload)
    assert.equal(back.qos, m.qos)
    assert.equal(back.retain, m.retain)
    assert.deepEqual(wire(back), wire(m), `PUBLISH bytes of ${m.topic}`)
    assert.equal(back.at, T.sec * 1000 + T.nsec / 1e6)
  }
})

test('repeated user properties keep their order [MQTT-3.3.2-18]', () => {
  const line = Buffer.from('{"topic":"t","payload":"","properties":{"user-properties":[{"a":"1"},{"b":"2"},{"a":"3"}],"content-type":"c"}}')
  const m = readNdjsonLine(line, D)!
  assert.deepEqual(propertyOrder(m.properties), [['a', '1'], ['b', '2'], ['a', '3'], 'contentType'])
  assert.deepEqual(m.properties?.userProperties, { a: ['1', '3'], b: '2' })
})

test('the line wins; -t, -q, -r and -D publish fill in what it leaves out', () => {
  const d: ReplayDefaults = { topic: 'dflt', qos: 2, retain: true, properties: { contentType: 'from-D', userProperties: { by: 'D' } } }
  const bare = readNdjsonLine(Buffer.from('{"payload":"p"}'), d)!
  assert.deepEqual([bare.topic, bare.qos, bare.retain], ['dflt', 2, true])
  assert.equal(bare.properties?.contentType, 'from-D')
  const full = readNdjsonLine(Buffer.from('{"topic":"own","qos":0,"retain":false,"payload":"p","properties":{"content-type":"own","user-properties":[{"x":"1"}]}}'), d)!
  assert.deepEqual([full.topic, full.qos, full.retain], ['own', 0, false])
  assert.equal(full.properties?.contentType, 'own')
  assert.deepEqual(full.properties?.userProperties, { x: '1' })
  const mixed = readNdjsonLine(Buffer.from('{"payload":"p","properties":{"message-expiry-interval":5}}'), d)!
  assert.deepEqual(propertyOrder(mixed.properties), ['messageExpiryInterval', 'contentType', ['by', 'D']])
})

test('strings a broker may deliver read back: control characters in properties', () => {
  const m = readNdjsonLine(Buffer.from('{"topic":"t\\tx","payload":"","properties":{"user-properties":[{"k\\n":"v\\u0001"}]}}'), D)!
  assert.equal(m.topic, 't\tx')
  assert.deepEqual({ ...m.properties?.userProperties }, { 'k\n': 'v\u0001' })
})

test('subscription-identifier and topic-alias are checked and not sent [MQTT-3.3.4-6]', () => {
  const m = readNdjsonLine(Buffer.from('{"topic":"t","payload":"","properties":{"subscription-identifier":[1,2],"topic-alias":3}}'), D)!
  assert.equal(m.properties, undefined)
})

test('an empty (or blank) line is nothing to send; \\r before the newline is JSON whitespace', () => {
  assert.equal(readNdjsonLine(Buffer.from(''), D), undefined)
  assert.equal(readNdjsonLine(Buffer.from(' \r'), D), undefined)
  assert.equal(readNdjsonLine(Buffer.from('{"topic":"t","payload":"x"}\r'), D)?.topic, 't')
})

const bad = (line: string | Buffer, d: ReplayDefaults = D) => {
  try {
    readNdjsonLine(Buffer.isBuffer(line) ? line : Buffer.from(line), d)
  } catch (e) {
    assert.ok(e instanceof LineError)
    return e.text
  }
  assert.fail(`accepted: ${line}`)
}

test('malformed lines: one text each', () => {
  const long = 'a'.repeat(65536)
  const cases: Array<[string, string]> = [
    ['{"topic":"t","payload":', 'not valid JSON.'],
    ['[1]', 'not a JSON object.'],
    ['{"topic":"t","payload":"","properties":{"content-type":"a\\u0000b"}}', 'content-type is not a valid MQTT string.'],
    ['"x"', 'not a JSON object.'],
    ['{"topic":"t","payload_base64":"***"}', 'payload_base64 is not valid base64.'],
    ['{"topic":"t","payload_base64":"abc"}', 'payload_base64 is not valid base64.'],
    ['{"topic":"t","payload":"x","payload_base64":"eA=="}', 'both payload and payload_base64 given.'],
    ['{"topic":"t"}', 'no payload or payload_base64.'],
    ['{"topic":"t","payload":5}', 'payload must be a string.'],
    ['{"topic":"t","payload":"\\ud800"}', 'payload is not valid UTF-8 text (use payload_base64).'],
    ['{"topic":7,"payload":""}', 'topic must be a string.'],
    ['{"payload":""}', 'no topic (and no -t).'],
    ['{"topic":"","payload":""}', 'topic is empty.'],
    ['{"topic":"a/#","payload":""}', "topic contains '+' or '#'."],
    [`{"topic":"${long}","payload":""}`, 'topic is longer than 65535 bytes.'],
    ['{"topic":"a\\u0000b","payload":""}', 'topic is not valid UTF-8 or contains U+0000.'],
    ['{"topic":"t","payload":"","qos":3}', 'qos must be an integer from 0 to 2.'],
    ['{"topic":"t","payload":"","qos":"1"}', 'qos must be an integer from 0 to 2.'],
    ['{"topic":"t","payload":"","retain":1}', 'retain must be true or false.'],
    ['{"topic":"t","payload":"","dup":"no"}', 'dup must be true or false.'],
    ['{"topic":"t","payload":"","tst":"yesterday"}', 'tst is not an ISO 8601 time such as 2026-11-23T20:15:55.810111123Z.'],
    ['{"topic":"t","payload":"","Payload":"x"}', 'unknown key "Payload".'],
    ['{"topic":"t","payload":"","properties":[]}', 'properties must be an object.'],
    ['{"topic":"t","payload":"","properties":{"colour":"red"}}', 'unknown property "colour".'],
    ['{"topic":"t","payload":"","properties":{"message-expiry-interval":-1}}', 'message-expiry-interval must be an integer from 0 to 4294967295.'],
    ['{"topic":"t","payload":"","properties":{"payload-format-indicator":2}}', 'payload-format-indicator must be an integer from 0 to 1.'],
    ['{"topic":"t","payload":"","properties":{"content-type":1}}', 'content-type must be a string.'],
    ['{"topic":"t","payload":"","properties":{"response-topic":"r/+"}}', "response-topic contains '+' or '#'."],
    ['{"topic":"t","payload":"","properties":{"correlation-data_base64":"!"}}', 'correlation-data_base64 is not valid base64.'],
    ['{"topic":"t","payload":"","properties":{"user-properties":{"a":"b"}}}', 'user-properties must be an array of {"name": "value"} objects.'],
    ['{"topic":"t","payload":"","properties":{"user-properties":[{"a":"b","c":"d"}]}}', 'user-properties must be an array of {"name": "value"} objects.'],
    ['{"topic":"t","payload":"","properties":{"user-properties":[{"a":1}]}}', 'a user property value must be a string.'],
    ['{"topic":"t","payload":"","properties":{"subscription-identifier":1}}', 'subscription-identifier must be an array of numbers.'],
  ]
  for (const [line, text] of cases) assert.equal(bad(line), text, line.slice(0, 80))
  const raw = Buffer.concat([Buffer.from('{"topic":"t","payload":"'), Buffer.from([0xff]), Buffer.from('"}')])
  assert.equal(bad(raw), 'not valid UTF-8 (JSON text is UTF-8; binary goes in payload_base64).')
})

test('tst: nanoseconds and offsets', () => {
  assert.equal(parseTst('1970-01-01T00:00:01.5Z'), 1500)
  assert.equal(parseTst('1970-01-01T00:00:01.000000250Z'), 1000.00025)
  assert.equal(parseTst('1970-01-01T01:00:00+01:00'), 0)
  assert.equal(parseTst('1970-01-01 00:00:00Z'), undefined)
})

test('user properties named like Object members (__proto__, constructor, hasOwnProperty) are sent as recorded [MQTT-3.3.2-18] (v5)', () => {
  const pairs: Array<[string, string]> = [['__proto__', 'v1'], ['constructor', 'v2'], ['constructor', 'v3'], ['hasOwnProperty', 'q'], ['a', 'b']]
  const json = JSON.stringify(pairs.map(([k, v]) => ({ [k]: v })))
  const back = readNdjsonLine(Buffer.from(`{"topic":"t","payload":"","properties":{"user-properties":${json}}}`), D)!
  const bytes = wire(back)
  let at = 0
  for (const [k, v] of pairs) {
    const pair = Buffer.concat([Buffer.from([0x26, 0, k.length]), Buffer.from(k), Buffer.from([0, v.length]), Buffer.from(v)])
    const found = bytes.indexOf(pair, at)
    assert.ok(found >= at, `user property ${k}=${v} on the wire, in order`)
    at = found + pair.length
  }
})
