import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isValidTopicName, isValidTopicFilter, parseSharedFilter, topicMatches, isValidUtf8 } from '../../../src/codec/topics.js'

const names: ReadonlyArray<[string, boolean]> = [
  ['a/b', true], ['/', true], ['a//b', true], ['$SYS/x', true], ['a b', true], ['ü/日本', true],
  ['', false], // [MQTT-4.7.3-1]
  ['a/+', false], ['a/#', false], ['a+b', false], // [MQTT-3.3.2-2]
  ['a\u0000b', false], // [MQTT-4.7.3-2]
  ['a\uFFFDb', false], ['\uD800', false],
  ['x'.repeat(65535), true], ['x'.repeat(65536), false],
]
for (const [topic, ok] of names) {
  test(`topic name ${JSON.stringify(topic.slice(0, 20))} is ${ok ? 'valid' : 'invalid'}`, () => {
    assert.equal(isValidTopicName(topic), ok)
  })
}

const filters: ReadonlyArray<[string, boolean]> = [
  ['#', true], ['+', true], ['a/+/c', true], ['a/#', true], ['+/+', true], ['/#', true], ['$SYS/#', true],
  ['', false], ['a/#/b', false], ['a#', false], ['a/b#', false], ['a+', false], ['a/+b/c', false], ['a\u0000', false],
]
for (const [filter, ok] of filters) {
  test(`topic filter ${JSON.stringify(filter)} is ${ok ? 'valid' : 'invalid'} [MQTT-4.7.1-2] [MQTT-4.7.1-3]`, () => {
    assert.equal(isValidTopicFilter(filter), ok)
  })
}

const matches: ReadonlyArray<[string, string, boolean]> = [
  ['a/+/c', 'a/b/c', true], ['a/+/c', 'a/b/d', false], ['sport/#', 'sport', true], ['sport/#', 'sport/x/y', true],
  ['+', '/finance', false], ['+/+', '/finance', true], ['/+', '/finance', true], ['a/b', 'a/b/', false],
  ['#', 'a', true], ['#', '$SYS/broker/uptime', false], ['+/broker/uptime', '$SYS/broker/uptime', false], // [MQTT-4.7.2-1]
  ['$SYS/#', '$SYS/broker/uptime', true], ['$SYS/+/uptime', '$SYS/broker/uptime', true], ['a/+', 'a', false],
]
for (const [filter, topic, ok] of matches) {
  test(`${filter} ${ok ? 'matches' : 'does not match'} ${topic}`, () => {
    assert.equal(topicMatches(filter, topic), ok)
  })
}

test('shared subscriptions are split into group and filter [MQTT-4.8.2-2]', () => {
  assert.deepEqual(parseSharedFilter('$share/g1/a/+'), { group: 'g1', filter: 'a/+' })
  assert.equal(parseSharedFilter('a/b'), undefined)
  assert.equal(parseSharedFilter('$share/g1'), null)
  assert.equal(parseSharedFilter('$share//a'), null)
  assert.equal(parseSharedFilter('$share/g+/a'), null)
  assert.equal(parseSharedFilter('$share/g/a/#/b'), null)
})

test('UTF-8 validation rejects overlongs, surrogates and truncation', () => {
  assert.equal(isValidUtf8(Buffer.from('héllo 日本 🎉')), true)
  assert.equal(isValidUtf8(Buffer.from([0xc0, 0x80])), false)
  assert.equal(isValidUtf8(Buffer.from([0xed, 0xa0, 0x80])), false)
  assert.equal(isValidUtf8(Buffer.from([0xe6, 0x97])), false)
  assert.equal(isValidUtf8(Buffer.from([0xff])), false)
  assert.equal(isValidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), false)
})
