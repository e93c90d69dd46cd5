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

// Issue 10 item 1: every walk is iterative, so a 10,000-level topic or filter cannot overflow the stack
// (the recursive walk died at ~4,750 levels). The broker refuses such depths at the edge (maxTopicLevels);
// the trie must still survive them (e.g. broker.publish() from inside the process).
const DEEP = Array.from({ length: 10_000 }, (_, i) => `l${i % 7}`).join('/')

test('a 10,000-level topic matched against #, +/# and the exact filter (subscriptions)', () => {
  const trie = new TopicTrie<string>()
  for (const f of ['#', '+/#', 'l0/#', DEEP, `${DEEP}/#`, 'l0/+']) trie.add(f, f)
  assert.deepEqual(trie.match(DEEP).sort(), ['#', '+/#', 'l0/#', DEEP, `${DEEP}/#`].sort())
  assert.deepEqual(trie.match('l0/x').sort(), ['#', '+/#', 'l0/#', 'l0/+'].sort())
})

test('a 10,000-level retained topic found by #, a/#, +/# and a 10,000-level filter of +', () => {
  const trie = new TopicTrie<string>()
  trie.add(DEEP, 'deep')
  trie.add('l0', 'short')
  const plusses = Array.from({ length: 10_000 }, () => '+').join('/')
  assert.deepEqual(trie.matchFilter('#').sort(), ['deep', 'short'])
  assert.deepEqual(trie.matchFilter('l0/#').sort(), ['deep', 'short'])
  assert.deepEqual(trie.matchFilter('+/#').sort(), ['deep', 'short'])
  assert.deepEqual(trie.matchFilter(plusses), ['deep'])
  assert.deepEqual(trie.matchFilter(DEEP), ['deep'])
  assert.equal(trie.remove(DEEP, () => true), 1)
  assert.deepEqual(trie.matchFilter('#'), ['short'])
})

test('walk order is depth-first: exact level, then +, then # (shared-subscription round robin relies on it)', () => {
  const trie = new TopicTrie<string>()
  for (const f of ['#', 'a/#', '+/b', 'a/+', 'a/b']) trie.add(f, f)
  assert.deepEqual(trie.match('a/b'), ['a/b', 'a/+', 'a/#', '+/b', '#'])
  const retained = new TopicTrie<string>()
  for (const t of ['a', 'a/b', 'a/c', 'a/b/c', 'b']) retained.add(t, t)
  assert.deepEqual(retained.matchFilter('#'), ['a', 'a/b', 'a/b/c', 'a/c', 'b'])
})
