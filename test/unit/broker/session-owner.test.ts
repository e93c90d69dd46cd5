// The session owner (BrokerSession + Sessions) and the counts kept from its events.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { makeMessage, type Message } from '../../../src/broker/message.js'
import { Router } from '../../../src/broker/router.js'
import { BrokerSession, type BrokerSessionSnapshot, type Subscription } from '../../../src/broker/session.js'
import { Accounting } from '../../../src/broker/session-events.js'
import { Sessions } from '../../../src/broker/sessions.js'
import { newStats } from '../../../src/broker/stats.js'
import type { BrokerClient } from '../../../src/broker/broker-client.js'
import { ManualClock } from '../../helpers/manual-clock.js'

function setup() {
  const clock = new ManualClock()
  clock.advance(10_000)
  const stats = newStats(0)
  const events = new Accounting(stats, () => false)
  const routed: string[] = []
  const router = new Router({ deliver: (s, m) => { routed.push(`${s.clientId}:${m.topic}`); return true } })
  const sessions = new Sessions(events, router, stats, {
    maxInflight: 2, maxQueued: 10, clock, persistentClientExpirationMs: undefined, publishWill: () => {},
  })
  return { clock, stats, events, router, routed, sessions }
}
const msg = (topic: string, payload = 'p'): Message => makeMessage(topic, Buffer.from(payload), 1, false, undefined, 0)
/** What a store reads back in a new process: the same data in new Message objects (refs 0). */
function reloaded(snap: BrokerSessionSnapshot): BrokerSessionSnapshot {
  const copy = (m: Message): Message => ({ ...m, refs: 0, encoded: undefined })
  return {
    ...snap,
    will: snap.will && { ...snap.will, message: copy(snap.will.message) },
    messages: { ...snap.messages, outbound: snap.messages.outbound.map((o) => ({ ...o, tag: { ...o.tag, message: copy(o.tag.message) } })) },
  }
}
const sub = (s: BrokerSession, filter: string, qos: 0 | 1 | 2 = 1): Subscription => ({
  session: s, filter, topicFilter: filter, group: undefined, qos, noLocal: false, retainAsPublished: false, retainHandling: 0, id: undefined,
})

test('stored messages count distinct messages: one message held by two sessions counts once', () => {
  const { stats, sessions } = setup()
  const a = sessions.open('a', true).session
  const b = sessions.open('b', true).session
  const m = msg('t', '12345')
  a.qos.publish({ message: m, retain: false, subIds: undefined }, 1)
  b.qos.publish({ message: m, retain: false, subIds: undefined }, 1)
  assert.deepEqual([stats.storedMessages, stats.storedBytes], [1, 5])
  sessions.end(a)
  assert.deepEqual([stats.storedMessages, stats.storedBytes], [1, 5])
  sessions.end(b)
  assert.deepEqual([stats.storedMessages, stats.storedBytes], [0, 0])
})

test('a clean session that ends with unacknowledged messages releases them: the count does not drift', () => {
  const { stats, sessions } = setup()
  const s = sessions.open('clean', true).session
  s.client = {} as BrokerClient
  s.qos.resume() // connected
  for (let i = 0; i < 5; i++) s.qos.publish({ message: msg('t', String(i)), retain: false, subIds: undefined }, 1) // 2 in flight, 3 queued
  assert.equal(stats.storedMessages, 5)
  sessions.detach(s) // expiry 0: the session ends with its connection
  assert.equal(sessions.get('clean'), undefined)
  assert.deepEqual([stats.storedMessages, stats.storedBytes], [0, 0])
})

test('subscriptions belong to the session: counted on subscribe, removed from the router when it ends', () => {
  const { stats, sessions, router, routed } = setup()
  const s = sessions.open('s', true).session
  sessions.subscribe(sub(s, 'a/#'))
  sessions.subscribe(sub(s, 'a/#', 2)) // replaced, not added
  sessions.subscribe(sub(s, 'b'))
  assert.equal(stats.subscriptionsCount, 2)
  router.route(msg('a/x'), undefined)
  assert.deepEqual(routed, ['s:a/x'])
  sessions.end(s)
  assert.equal(stats.subscriptionsCount, 0)
  assert.equal(router.route(msg('a/x'), undefined), 0)
})

test('snapshot and restore: subscriptions, queue, in-flight state, will and expiry survive; counts are right after restore', () => {
  const first = setup()
  const s = first.sessions.open('dev', false).session
  s.expiryMs = 3_600_000
  s.client = {} as BrokerClient
  s.qos.resume()
  s.will = { message: makeMessage('dev/status', Buffer.from('gone'), 1, true, undefined, 0), delayMs: 30_000 }
  first.sessions.subscribe(sub(s, 'cmd/#', 2))
  const sent = s.qos.publish({ message: msg('cmd/1', 'one'), retain: false, subIds: [7] }, 2)!
  s.qos.publish({ message: msg('cmd/2', 'two'), retain: false, subIds: undefined }, 1)
  s.qos.publish({ message: msg('cmd/3', 'three'), retain: false, subIds: undefined }, 1) // queued behind the window of 2
  const id = sent.flatMap((a) => (a.kind === 'publish' ? [a.entry.id] : []))[0]!
  s.qos.onPubrec({ cmd: 'pubrec', messageId: id })
  s.qos.onPublish({ cmd: 'publish', topic: 'x', payload: Buffer.alloc(0), qos: 2, retain: false, dup: false, messageId: 99 })
  first.sessions.detach(s)
  const snap = s.snapshot()

  const second = setup()
  second.clock.advance(5_000)
  const r = second.sessions.restore(reloaded(snap), (f) => ({ topicFilter: f, group: undefined }))
  assert.deepEqual([second.stats.storedMessages, second.stats.storedBytes], [3, 11])
  assert.equal(second.stats.subscriptionsCount, 1)
  assert.equal(second.stats.clientsDisconnected, 1)
  const data = (x: BrokerSessionSnapshot) => JSON.stringify(x, (k, v: unknown) => (k === 'refs' ? undefined : v))
  assert.equal(data(r.snapshot()), data(snap), 'a restored session snapshots to the same data')
  second.router.route(msg('cmd/9'), undefined)
  assert.deepEqual(second.routed, ['dev:cmd/9'], 'its subscriptions are in the router again')
  assert.equal(r.qos.hasInbound(99), true)
})

test('a restored session whose client was connected at the crash: its will is due after its delay, expiry counts from the restart', () => {
  const first = setup()
  const s = first.sessions.open('live', false).session
  s.expiryMs = 60_000
  s.client = {} as BrokerClient
  s.will = { message: makeMessage('live/status', Buffer.from('offline'), 0, false, undefined, 0), delayMs: 2_000 }
  const snap = s.snapshot() // as the store had it while the client was connected
  assert.equal(snap.disconnectedAt, 0)

  const wills: string[] = []
  const second = setup()
  const sessions = new Sessions(second.events, second.router, second.stats, {
    maxInflight: 2, maxQueued: 10, clock: second.clock, persistentClientExpirationMs: undefined, publishWill: (m) => wills.push(m.topic),
  })
  sessions.restore(snap, (f) => ({ topicFilter: f, group: undefined }))
  assert.deepEqual(wills, [], 'nothing is published while restoring')
  second.clock.advance(2_000)
  assert.deepEqual(wills, ['live/status'])
  second.clock.advance(57_999)
  assert.notEqual(sessions.get('live'), undefined)
  second.clock.advance(1)
  assert.equal(sessions.get('live'), undefined, 'expired 60 s after the restart')
  assert.equal(second.stats.clientsExpired, 1)
})
