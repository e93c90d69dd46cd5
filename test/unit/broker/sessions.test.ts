import assert from 'node:assert/strict'
import { test } from 'node:test'
import { makeMessage, type Message } from '../../../src/broker/message.js'
import { Router } from '../../../src/broker/router.js'
import type { BrokerSession } from '../../../src/broker/session.js'
import { Accounting } from '../../../src/broker/session-events.js'
import { Sessions } from '../../../src/broker/sessions.js'
import { newStats } from '../../../src/broker/stats.js'
import type { BrokerClient } from '../../../src/broker/broker-client.js'
import { ManualClock } from '../../helpers/manual-clock.js'

function setup(cap?: number) {
  const clock = new ManualClock()
  clock.advance(1000)
  const stats = newStats(0)
  const ended: string[] = []
  const wills: string[] = []
  const events = new Accounting(stats, () => false)
  const ending = events.ended.bind(events)
  events.ended = (s) => { ended.push(s.clientId); ending(s) }
  const sessions = new Sessions(events, new Router({ deliver: () => true }), stats, {
    maxInflight: 20, maxQueued: 100, clock, persistentClientExpirationMs: cap,
    publishWill: (m: Message) => wills.push(m.topic),
  })
  return { sessions, stats, ended, wills, advance: (ms: number) => clock.advance(ms) }
}
const fakeClient = {} as BrokerClient
function online(s: BrokerSession): BrokerSession { s.client = fakeClient; return s }

test('a persistent session is resumed with session present; a clean start discards it [MQTT-3.1.2-4], [MQTT-3.1.2-5]', (t) => {
  const { sessions, stats, ended } = setup()
  const first = online(sessions.open('c1', false).session)
  first.expiryMs = Infinity
  sessions.detach(first)
  t.after(() => sessions.stopTimers())
  assert.equal(stats.clientsDisconnected, 1)
  const again = sessions.open('c1', false)
  assert.equal(again.present, true)
  assert.equal(again.session, first)
  assert.equal(stats.clientsDisconnected, 0)
  online(again.session)
  sessions.detach(again.session)
  const clean = sessions.open('c1', true)
  assert.equal(clean.present, false)
  assert.notEqual(clean.session, first)
  assert.deepEqual(ended, ['c1'])
})

test('a session with expiry 0 ends when its connection does', () => {
  const { sessions, ended } = setup()
  const s = online(sessions.open('c2', false).session)
  sessions.detach(s)
  assert.deepEqual(ended, ['c2'])
  assert.equal(sessions.get('c2'), undefined)
})

test('an expired session is not resumed and counts as expired', (t) => {
  const { sessions, stats, advance } = setup()
  t.after(() => sessions.stopTimers())
  const s = online(sessions.open('c3', false).session)
  s.expiryMs = 60_000
  sessions.detach(s)
  advance(60_000)
  const r = sessions.open('c3', false)
  assert.equal(r.present, false)
  assert.equal(stats.clientsExpired, 1)
  assert.equal(stats.clientsDisconnected, 0)
})

test('persistentClientExpirationMs caps sessions that would never expire', (t) => {
  const { sessions, advance } = setup(5000)
  t.after(() => sessions.stopTimers())
  const s = online(sessions.open('c4', false).session)
  s.expiryMs = Infinity
  sessions.detach(s)
  advance(4999)
  assert.equal(sessions.open('c4', false).present, true)
  const again = sessions.get('c4')!
  online(again)
  sessions.detach(again)
  advance(5000)
  assert.equal(sessions.open('c4', false).present, false)
})

test('a delayed will is cancelled by a reconnect and published when the session ends [MQTT-3.1.3-9]', (t) => {
  const { sessions, wills, advance } = setup()
  t.after(() => sessions.stopTimers())
  const will = { message: makeMessage('will/t', Buffer.from('x'), 0, false, undefined, 0), delayMs: 60_000 }
  const s = online(sessions.open('c5', false).session)
  s.expiryMs = 3_600_000
  s.will = will
  sessions.detach(s)
  assert.equal(s.willDueAt, 1000 + 60_000)
  sessions.open('c5', false) // reconnect before the delay
  assert.equal(s.will, undefined)
  advance(120_000)
  assert.deepEqual(wills, [], 'the cancelled will never fires')
  online(s)
  s.will = will
  sessions.detach(s)
  sessions.end(s)
  assert.deepEqual(wills, ['will/t'])
})

test('a will without delay is published when the connection ends; a delayed one when its delay passes', (t) => {
  const { sessions, wills, advance } = setup()
  t.after(() => sessions.stopTimers())
  const now = { message: makeMessage('w/now', Buffer.from('x'), 0, false, undefined, 0), delayMs: 0 }
  const later = { message: makeMessage('w/later', Buffer.from('x'), 0, false, undefined, 0), delayMs: 5000 }
  const a = online(sessions.open('a', true).session)
  a.will = now
  sessions.detach(a)
  const b = online(sessions.open('b', false).session)
  b.expiryMs = 60_000
  b.will = later
  sessions.detach(b)
  assert.deepEqual(wills, ['w/now'])
  advance(4999)
  assert.deepEqual(wills, ['w/now'])
  advance(1)
  assert.deepEqual(wills, ['w/now', 'w/later'])
})
