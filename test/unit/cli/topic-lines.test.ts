// tspub -l --topic-separator: the exact splitting rules (man/tspub.1, A TOPIC PER LINE).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { splitTopicLine } from '../../../src/cli/topic-lines.js'
import { LineError } from '../../../src/cli/line-error.js'

const tab = Buffer.from('\t')
const split = (line: string | Buffer, sep = tab) => {
  const r = splitTopicLine(Buffer.isBuffer(line) ? line : Buffer.from(line), sep)
  return [r.topic, r.payload.toString('latin1')]
}
const error = (line: string | Buffer, sep = tab) => {
  try { splitTopicLine(Buffer.isBuffer(line) ? line : Buffer.from(line), sep) } catch (e) { assert.ok(e instanceof LineError); return e.text }
  assert.fail('accepted')
}

test('split at the first separator; the payload keeps later separators and a trailing \\r', () => {
  assert.deepEqual(split('a/b\tpay\tload\r'), ['a/b', 'pay\tload\r'])
  assert.deepEqual(split('a b c', Buffer.from(' ')), ['a', 'b c'])
  assert.deepEqual(split('t::x::y', Buffer.from('::')), ['t', 'x::y'])
})

test('topic then separator and nothing else: an empty message', () => {
  assert.deepEqual(split('a/b\t'), ['a/b', ''])
})

test('the payload is binary safe', () => {
  assert.deepEqual(split(Buffer.from([0x74, 9, 0, 0xff])), ['t', '\u0000\u00ff'])
})

test('errors: no separator, empty or invalid topic [MQTT-4.7.3-1] [MQTT-3.3.2-2]', () => {
  assert.equal(error('no separator here'), 'no topic separator.')
  assert.equal(error(''), 'no topic separator.')
  assert.equal(error('\tpayload'), 'topic is empty.')
  assert.equal(error('a/+\tx'), "topic contains '+' or '#'.")
  assert.equal(error(Buffer.from([0xff, 9, 0x41])), 'topic is not valid UTF-8.')
  assert.equal(error('x'.repeat(65536) + '\tp'), 'topic is longer than 65535 bytes.')
})
