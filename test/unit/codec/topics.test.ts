import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  filterCovers, filtersOverlap, isValidTopicName, isValidTopicFilter, isValidUtf8, parseSharedFilter, topicLevels, topicMatches,
} from '../../../src/codec/topics.js'

const names: ReadonlyArray<[string, boolean]> = [
  ['a/b', true], ['/', true], ['a//b', true], ['$SYS/x', true], ['a b', true], ['ü/日本', true],
  ['', false], // [MQTT-4.7.3-1]
  ['a/+', false], ['a/#', false], ['a+b', false], // [MQTT-3.3.2-2]
  ['a\u0000b', false], // [MQTT-4.7.3-2]
  ['a\uFFFDb', true], // U+FFFD is a character like any other: invalid bytes are refused before decoding (utf8.ts)
  ['\uD800', false], // a lone surrogate has no UTF-8 encoding [MQTT-1.5.4-1] (v5)
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

test('topic levels are counted without splitting', () => {
  assert.deepEqual(['a', 'a/b', '/', '', '#', 'a//b/'].map(topicLevels), [1, 2, 2, 1, 1, 4])
  assert.equal(topicLevels(Array(10_000).fill('x').join('/')), 10_000)
})

// Used to answer SUBSCRIBE from a read ACL: can any topic match both? Does one filter cover the other?
const overlaps: ReadonlyArray<[string, string, boolean]> = [
  ['#', 'a/b', true], ['a/+', 'a/b', true], ['a/+', 'a', false], ['a/#', 'a', true], ['a/b', 'a/c', false],
  ['+/b', 'a/+', true], ['a/+/c', 'a/b/d', false], ['+', '+/+', false], ['#', '+/+/+', true],
  ['#', '$SYS/#', false], ['+/x', '$SYS/x', false], ['$SYS/#', '$SYS/broker/+', true], ['#', '#', true], // [MQTT-4.7.2-1]
]
for (const [a, b, expected] of overlaps) {
  test(`filters ${a} and ${b} ${expected ? 'overlap' : 'do not overlap'}`, () => {
    assert.equal(filtersOverlap(a, b), expected)
    assert.equal(filtersOverlap(b, a), expected)
  })
}

const covers: ReadonlyArray<[string, string, boolean]> = [
  ['#', 'a/+/c', true], ['a/#', 'a', true], ['a/#', 'a/b/#', true], ['a/+', 'a/b', true], ['a/+', 'a/#', false],
  ['a', 'a/#', false], ['+/+', '+/#', false], ['a/b', 'a/b', true], ['a/b', 'a/+', false], ['+', '+', true],
  ['#', '$SYS/#', false], ['+/x', '$SYS/x', false], ['$SYS/#', '$SYS/x', true], // [MQTT-4.7.2-1]
]
for (const [outer, inner, expected] of covers) {
  test(`${outer} ${expected ? 'covers' : 'does not cover'} ${inner}`, () => assert.equal(filterCovers(outer, inner), expected))
}
