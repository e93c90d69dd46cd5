// mosquitto's bridge topic remapping as a table (cases from mosquitto.conf(5), its 06-bridge-*-remapping
// tests and its bridge_topic.c unit test), and the checks its bridge__add_topic makes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BridgeConfigError } from '../../../src/broker/bridge/bridge-error.js'
import { compileTopic, localTopicFor, remoteTopicFor, type BridgeTopic } from '../../../src/broker/bridge/topic-map.js'

// mosquitto's own remapping tests: one bridge with these four lines, then topics on each side
const lines = (direction: 'in' | 'out'): BridgeTopic[] => [
  { pattern: '#', direction, localPrefix: 'local/topic/', remotePrefix: 'remote/topic/' },
  { pattern: 'prefix/#', direction, localPrefix: 'local2/topic/', remotePrefix: 'remote2/topic/' },
  { pattern: '+/value', direction, localPrefix: 'local3/topic/', remotePrefix: 'remote3/topic/' },
  { pattern: 'ic/+', direction, localPrefix: 'local4/top', remotePrefix: 'remote4/tip' },
]
const mosquittoCases: ReadonlyArray<[local: string, remote: string]> = [
  ['local/topic/something', 'remote/topic/something'],
  ['local/topic/some/t/h/i/n/g', 'remote/topic/some/t/h/i/n/g'],
  ['local/topic/value', 'remote/topic/value'],
  ['local2/topic/prefix/something', 'remote2/topic/prefix/something'],
  ['local3/topic/something/value', 'remote3/topic/something/value'],
  ['local4/topic/something', 'remote4/tipic/something'], // prefixes are strings, not levels
]
for (const [local, remote] of mosquittoCases) {
  test(`out: ${local} → ${remote}`, () => assert.equal(remoteTopicFor(lines('out').map(compileTopic), local), remote))
  test(`in: ${remote} → ${local}`, () => assert.equal(localTopicFor(lines('in').map(compileTopic), remote), local))
}

type Case = [what: string, line: BridgeTopic, dir: 'in' | 'out', from: string, to: string]
const cases: readonly Case[] = [
  // mosquitto.conf(5) and the unit test of bridge_topic.c
  ['both prefixes, in', { pattern: 'pattern', direction: 'in', localPrefix: 'L/', remotePrefix: 'R/' }, 'in', 'R/pattern', 'L/pattern'],
  ['only a local prefix, in', { pattern: 'pattern', direction: 'in', localPrefix: 'L/' }, 'in', 'pattern', 'L/pattern'],
  ['only a remote prefix, in', { pattern: 'pattern', direction: 'in', remotePrefix: 'R/' }, 'in', 'R/pattern', 'pattern'],
  ['no prefix: unchanged', { pattern: 'pattern', direction: 'in' }, 'in', 'pattern', 'pattern'],
  ['both prefixes, out', { pattern: 'pattern', direction: 'out', localPrefix: 'L/', remotePrefix: 'R/' }, 'out', 'L/pattern', 'R/pattern'],
  ['"" local prefix: none', { pattern: 'a/#', direction: 'both', localPrefix: '', remotePrefix: 'site1/' }, 'out', 'a/b', 'site1/a/b'],
  ['"" local prefix, coming in', { pattern: 'a/#', direction: 'both', localPrefix: '', remotePrefix: 'site1/' }, 'in', 'site1/a/b', 'a/b'],
  ['"" remote prefix, out', { pattern: 'a/#', direction: 'both', localPrefix: 'here/', remotePrefix: '' }, 'out', 'here/a/b', 'a/b'],
  ['empty pattern: one topic each side, out', { pattern: '', direction: 'both', localPrefix: 'local/x', remotePrefix: 'remote/y' }, 'out', 'local/x', 'remote/y'],
  ['empty pattern: one topic each side, in', { pattern: '', direction: 'both', localPrefix: 'local/x', remotePrefix: 'remote/y' }, 'in', 'remote/y', 'local/x'],
  // `a/#` matches `a` too, which does not start with `a/`: the prefix stays, the other is added (as mosquitto)
  ['# also matches the parent level', { pattern: '#', direction: 'out', localPrefix: 'a/', remotePrefix: 'r/' }, 'out', 'a', 'r/a'],
  ['a line of the other direction does not remap', { pattern: '#', direction: 'in', localPrefix: 'L/', remotePrefix: 'R/' }, 'out', 'L/x', 'L/x'],
  ['$ topics are not matched by a leading wildcard', { pattern: '#', direction: 'both', remotePrefix: 'R/' }, 'out', '$SYS/x', '$SYS/x'],
]
for (const [what, line, dir, from, to] of cases) {
  test(`${what}: ${from} → ${to}`, () => {
    const topics = [compileTopic(line)]
    assert.equal(dir === 'out' ? remoteTopicFor(topics, from) : localTopicFor(topics, from), to)
  })
}

test('the first line with a prefix whose filter matches wins; lines without prefixes are skipped', () => {
  const topics = [
    { pattern: 'a/#', direction: 'out' },
    { pattern: 'a/b/#', direction: 'out', remotePrefix: 'first/' },
    { pattern: 'a/#', direction: 'out', remotePrefix: 'second/' },
  ].map((t) => compileTopic(t as BridgeTopic))
  assert.equal(remoteTopicFor(topics, 'a/b/c'), 'first/a/b/c')
  assert.equal(remoteTopicFor(topics, 'a/x'), 'second/a/x')
})

test('filters: local prefix + pattern here, remote prefix + pattern there; defaults out and QoS 0', () => {
  const t = compileTopic({ pattern: 'x/+', localPrefix: 'l/', remotePrefix: 'r/' })
  assert.deepEqual([t.direction, t.qos, t.localFilter, t.remoteFilter], ['out', 0, 'l/x/+', 'r/x/+'])
})

const invalid: ReadonlyArray<[BridgeTopic, string]> = [
  [{ pattern: '', localPrefix: 'L/' }, 'Invalid bridge remapping.'],
  [{ pattern: '', remotePrefix: 'R/' }, 'Invalid bridge remapping.'],
  [{ pattern: '' }, 'Invalid bridge remapping.'],
  [{ pattern: 'a', localPrefix: 'L/+/' }, "Invalid bridge topic local prefix 'L/+/'."],
  [{ pattern: 'a', remotePrefix: 'R/#' }, "Invalid bridge topic remote prefix 'R/#'."],
  [{ pattern: '#', localPrefix: 'L' }, "Invalid bridge topic local prefix and pattern combination 'L#'."],
  [{ pattern: 'a/#/b' }, "Invalid bridge topic pattern 'a/#/b'."],
  [{ pattern: 'a', qos: 3 as 0 }, "Invalid bridge QoS level '3'."],
]
for (const [line, message] of invalid) {
  test(`refused: ${JSON.stringify(line)} — ${message}`, () => {
    assert.throws(() => compileTopic(line), (e: unknown) => e instanceof BridgeConfigError && e.message === message)
  })
}
