// formatMessage: every -F specifier with its flags and quirks, the -v/-N modes, %j/%J and --json.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileFormat } from '../../../src/cli/format/format-string.js'
import { formatMessage, type OutputOptions } from '../../../src/cli/format/formatter.js'
import type { ReceivedMessage, TimeParts } from '../../../src/cli/format/message.js'

process.env.TZ = 'UTC'
const AT = { epochMs: 1795464947509, ns: 1795464947509889198n }

function msg(over: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return { topic: 'a/b', payload: Buffer.from('abc'), qos: 1, retain: false, dup: false, messageId: 7, receivedAt: AT, ...over }
}
const props: ReceivedMessage['properties'] = {
  payloadFormatIndicator: true, messageExpiryInterval: 60, topicAlias: 3, responseTopic: 'resp/t',
  correlationData: Buffer.from([0x63, 0, 0xff]), contentType: 'text/plain', subscriptionIdentifier: [12, 13],
  userProperties: { k1: 'v1', k2: ['x', 'y'] },
}
const base: OutputOptions = { verbose: false, noEol: false, pretty: false, json: false }
const fmt = (f: string, m = msg(), o: Partial<OutputOptions> = {}, now?: () => TimeParts) =>
  formatMessage(m, { ...base, noEol: true, format: compileFormat(f), ...o }, now)
const out = (f: string, m = msg(), o: Partial<OutputOptions> = {}) => fmt(f, m, o).out!.toString('latin1')

test('specifiers with width, precision and flags', () => {
  const m = msg({ properties: props })
  const cases: Array<[string, string]> = [
    ['%%', '%'], ['%t', 'a/b'], ['[%5t]', '[  a/b]'], ['[%-5t]', '[a/b  ]'], ['[%.1t]', '[a]'], ['[%4.2t]', '[  a/]'],
    ['[%05t]', '[  a/b]'], ['%p', 'abc'], ['[%5p]', '[  abc]'], ['[%05p]', '[00abc]'], ['[%-5p]', '[abc  ]'],
    ['[%2p]', '[ab]'], ['[%-p]', '[abc   ]'], ['[%.1p]', '[abc]'], ['%x', '616263'], ['%X', '616263'],
    ['[%8x]', '[  616263]'], ['[%-8x]', '[616263  ]'], ['[%08x]', '[00616263]'], ['[%2x]', '[6162]'], ['[%-x]', '[616263   ]'],
    ['%.2x', '61 62 63'], ['%.2:X', '61:62:63'], ['%.4-x', '6162-63'], ['%.1,x', '6,1,6,2,6,3'], ['[%8.2:x]', '[  :61:62:63]'], // 2.1 puts separators among the padding too
    ['%l|%5l|%-5l|%05l', '3|    3|3    |00003'], ['%m|%03m', '7|007'], ['%q%r', '10'],
    ['%A|%4A|%04A', '3|   3|0003'], ['%C|[%12C]|[%-12C]|[%.4C]', 'text/plain|[  text/plain]|[text/plain  ]|[text]'],
    ['%E|%F|%S|[%-4S]', '60|1|12|[12  ]'], ['%R|[%8R]|[%.4R]', 'resp/t|[  resp/t]|[resp]'], ['%P', 'k1:v1 k2:x k2:y'],
  ]
  for (const [f, want] of cases) assert.equal(out(f, m), want, f)
  assert.deepEqual(fmt('%D', m).out, Buffer.from([0x63, 0, 0xff]))
})

test('missing v5 properties: width-many pad characters, except %R %D %P which print nothing', () => {
  assert.equal(out('[%A][%3A][%03A][%-3E][%05F][%2S][%3C][%03C][%5R][%D][%P]'), '[][   ][000][   ][00000][  ][   ][   ][][][]')
})

test('escapes, @ codes and clock fields', () => {
  const now = () => ({ sec: 1795464947, nsec: 5_000 })
  assert.deepEqual(fmt('\\\\\\0\\a\\e\\n\\r\\t\\v', msg()).out, Buffer.from('\\\0\x07\x1b\n\r\t\v'))
  assert.equal(fmt('@@ @Y-@m-@dT@H:@M:@S @N @q @s', msg(), {}, now).out!.toString(), '@ 2026-11-23T20:15:47 000005000 %q 1795464947')
  assert.equal(fmt('%I|[%26I]|[%.10I]|%U', msg(), {}, now).out!.toString(),
    '2026-11-23T20:15:47+0000|[  2026-11-23T20:15:47+0000]|[2026-11-23]|1795464947.000005000')
  // Without a clock the message's arrival time is used.
  assert.equal(out('%U @N'), '1795464947.509889198 509889198')
})

test('%I, %U and %j read the clock each time; @ codes share one reading', () => {
  let n = 0
  const now = () => ({ sec: 1795464947 + n++, nsec: 0 })
  assert.equal(fmt('%U %U @S @S', msg(), {}, now).out!.toString(), '1795464947.000000000 1795464948.000000000 49 49')
})

test('%f and %d (2.1): host-order IEEE754 payloads, wrong length is a stderr line', () => {
  const f = Buffer.alloc(4); f.writeFloatLE(1.5)
  const d = Buffer.alloc(8); d.writeDoubleLE(-2.25)
  assert.equal(out('%f|%.2f|%8.1f|%-8.3f|%08.2f', msg({ payload: f })), '1.500000|1.50|     1.5|1.500   |00001.50')
  assert.equal(out('%d|%.1d', msg({ payload: d })), '-2.250000|-2.2')
  assert.deepEqual(fmt('[%f]', msg()), { out: Buffer.from('[]'), err: 'requested float printing, but non-float data received' })
  assert.equal(fmt('%d', msg()).err, 'requested double printing, but non-double data received')
})

test('-F output ends with \\n unless -N, and is printed even for an empty payload', () => {
  const o = { ...base, format: compileFormat('%t:%p') }
  assert.deepEqual(formatMessage(msg({ payload: Buffer.alloc(0) }), o).out, Buffer.from('a/b:\n'))
  assert.deepEqual(formatMessage(msg(), { ...o, noEol: true }).out, Buffer.from('a/b:abc'))
})

test('default, -v and -N modes (mosquitto_sub print_message)', () => {
  const empty = msg({ payload: Buffer.alloc(0) })
  const bin = msg({ payload: Buffer.from([0, 0xff, 0x0a]) })
  const cases: Array<[Partial<OutputOptions>, ReceivedMessage, Buffer | null]> = [
    [{}, bin, Buffer.from([0, 0xff, 0x0a, 0x0a])], [{}, empty, null], [{ noEol: true }, msg(), Buffer.from('abc')],
    [{ noEol: true }, empty, null], [{ verbose: true }, bin, Buffer.from([0x61, 0x2f, 0x62, 0x20, 0, 0xff, 0x0a, 0x0a])],
    [{ verbose: true }, empty, Buffer.from('a/b (null)\n')], [{ verbose: true, noEol: true }, msg(), Buffer.from('a/b abc')],
    [{ verbose: true, noEol: true }, empty, null],
  ]
  for (const [o, m, want] of cases) assert.deepEqual(formatMessage(m, { ...base, ...o }).out, want, JSON.stringify(o))
})

test('%j: key order, mid only for QoS>0, properties in wire order, user properties as an array', () => {
  const m = msg({ properties: { contentType: 'c', userProperties: { a: ['1', '2'] }, correlationData: Buffer.from('id') } })
  assert.equal(out('%j', m),
    '{"tst":"2026-11-23T20:15:47.509889+0000","topic":"a/b","qos":1,"retain":0,"payloadlen":3,"mid":7,' +
    '"properties":{"content-type":"c","user-properties":[{"a":"1"},{"a":"2"}],"correlation-data":"id"},"payload":"abc"}')
  assert.equal(out('%j', msg({ qos: 0, retain: true, payload: Buffer.from('x\0"y') })),
    '{"tst":"2026-11-23T20:15:47.509889+0000","topic":"a/b","qos":0,"retain":1,"payloadlen":4,"payload":"x\\u0000\\"y"}')
  assert.equal(out('%j', msg({ qos: 0, payload: Buffer.alloc(0) })),
    '{"tst":"2026-11-23T20:15:47.509889+0000","topic":"a/b","qos":0,"retain":0,"payloadlen":0,"payload":null}')
})

test('%J embeds the payload; invalid JSON is a stderr error and expands to nothing', () => {
  const m = msg({ qos: 0, payload: Buffer.from(' [1.50, {"k": "v"}] ') })
  assert.equal(out('%J', m), '{"tst":"2026-11-23T20:15:47.509889+0000","topic":"a/b","qos":0,"retain":0,"payloadlen":20,"payload":[1.5,{"k":"v"}]}')
  assert.equal(out('%J', m, { pretty: true }),
    '{\n\t"tst":\t"2026-11-23T20:15:47.509889+0000",\n\t"topic":\t"a/b",\n\t"qos":\t0,\n\t"retain":\t0,\n\t"payloadlen":\t20,\n' +
    '\t"payload":\t[1.5, {\n\t\t\t"k":\t"v"\n\t\t}]\n}')
  assert.deepEqual(fmt('<%J>', msg({ topic: 't/x' })), { out: Buffer.from('<>'), err: 'Error: Message payload is not valid JSON on topic t/x.' })
})

test('--json: one lossless NDJSON object, text or base64 payload', () => {
  const o = { ...base, json: true }
  const line = formatMessage(msg({ properties: props, dup: true }), o).out!.toString()
  assert.ok(line.endsWith('}\n'))
  assert.deepEqual(JSON.parse(line), {
    tst: '2026-11-23T20:15:47.509889198Z', topic: 'a/b', qos: 1, retain: false, dup: true, mid: 7,
    properties: {
      'payload-format-indicator': 1, 'message-expiry-interval': 60, 'topic-alias': 3, 'response-topic': 'resp/t',
      'correlation-data_base64': 'YwD/', 'content-type': 'text/plain', 'subscription-identifier': [12, 13],
      'user-properties': [{ k1: 'v1' }, { k2: 'x' }, { k2: 'y' }],
    },
    payload: 'abc',
  })
  const bin = JSON.parse(formatMessage(msg({ payload: Buffer.from([0xff, 0]) }), o).out!.toString())
  assert.equal(bin.payload_base64, '/wA=')
  assert.equal(bin.payload, undefined)
  const empty = JSON.parse(formatMessage(msg({ payload: Buffer.alloc(0) }), { ...o, noEol: true }).out!.toString())
  assert.equal(empty.payload, '')
})
