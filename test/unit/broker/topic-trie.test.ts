import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicTrie } from '../../../src/broker/topic-trie.js'

// [filter, topic, matches]: the same table drives match() (filters stored) and matchFilter() (topics stored)
const cases: ReadonlyArray<[string, string, boolean]> = [
  ['a/b/c', 'a/b/c', true],
  ['a/+/c', 'a/b/c', true],
  ['a/+/c', 'a/b/d', false],
  ['a/+', 'a/b/c', false],
  ['sport/#', 'sport', true], // '#' also matches the parent level
  ['sport/#', 'sport/tennis/player1', true],
  ['sport/tennis/#', 'sport', false],
  ['#', 'a/b', true],
  ['+', '/finance', false],
  ['+/+', '/finance', true], // an empty level is still a level
  ['/+', '/finance', true],
  ['a/b', 'a/b/', false],
  ['a/b/', 'a/b/', true],
  ['a//b', 'a//b', true],
  ['a/+/b', 'a//b', true],
  ['#', '$SYS/broker/uptime', false], // [MQTT-4.7.2-1]
  ['+/broker/uptime', '$SYS/broker/uptime', false], // [MQTT-4.7.2-1]
  ['+/#', '$SYS/x', false], // [MQTT-4.7.2-1]
  ['$SYS/#', '$SYS/broker/uptime', true],
  ['$SYS/+/uptime', '$SYS/broker/uptime', true],
  ['$SYS', '$SYS', true],
  ['a/$x', 'a/$x', true],
  ['a/+', 'a/$x', true], // only the first level is protected
  ['A/b', 'a/b', false], // case-sensitive
]

for (const [filter, topic, matches] of cases) {
  test(`filter ${filter} ${matches ? 'matches' : 'does not match'} topic ${topic}`, () => {
    const subs = new TopicTrie<string>()
    subs.add(filter, 'sub')
    assert.deepEqual(subs.match(topic), matches ? ['sub'] : [])
    const retained = new TopicTrie<string>()
    retained.add(topic, 'msg')
    assert.deepEqual(retained.matchFilter(filter), matches ? ['msg'] : [])
  })
}

test('match collects every matching filter, once each', () => {
  const trie = new TopicTrie<string>()
  for (const f of ['a/b', 'a/+', '#', 'a/#', '+/+', 'x/y']) trie.add(f, f)
  assert.deepEqual(trie.match('a/b').sort(), ['#', '+/+', 'a/#', 'a/+', 'a/b'])
})

test('remove deletes only the values the predicate selects and prunes empty branches', () => {
  const trie = new TopicTrie<number>()
  trie.add('a/b/c', 1)
  trie.add('a/b/c', 2)
  trie.add('a/b', 3)
  assert.equal(trie.size, 3)
  assert.equal(trie.remove('a/b/c', (v) => v === 1), 1)
  assert.deepEqual(trie.get('a/b/c'), [2])
  assert.equal(trie.remove('a/b/c', () => true), 1)
  assert.equal(trie.remove('nope/x', () => true), 0)
  assert.equal(trie.size, 1)
  assert.deepEqual(trie.match('a/b/c'), [])
  assert.deepEqual(trie.match('a/b'), [3])
  assert.deepEqual([...trie.values()], [3])
})

test('matchFilter with # returns a whole subtree but no $ topics at the root', () => {
  const trie = new TopicTrie<string>()
  for (const t of ['a', 'a/b', 'a/b/c', 'b', '$SYS/x']) trie.add(t, t)
  assert.deepEqual(trie.matchFilter('#').sort(), ['a', 'a/b', 'a/b/c', 'b'])
  assert.deepEqual(trie.matchFilter('a/#').sort(), ['a', 'a/b', 'a/b/c'])
  assert.deepEqual(trie.matchFilter('+').sort(), ['a', 'b'])
})
