import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { QoS } from '../../../src/codec/index.js'
import type { BrokerClient } from '../../../src/broker/broker-client.js'
import { makeMessage, type Message } from '../../../src/broker/message.js'
import { Router } from '../../../src/broker/router.js'
import { BrokerSession, type Subscription } from '../../../src/broker/session.js'
import { Accounting } from '../../../src/broker/session-events.js'
import { Sessions } from '../../../src/broker/sessions.js'
import { newStats } from '../../../src/broker/stats.js'
import { ManualClock } from '../../helpers/manual-clock.js'

interface Delivery { to: string; topic: string; qos: QoS; retain: boolean; subIds: number[] | undefined }

/** A router whose subscriptions come and go through Sessions, as in the broker. */
function setup() {
  const deliveries: Delivery[] = []
  const stats = newStats(0)
  const router = new Router({
    deliver: (s, m, qos, retain, subIds) => { deliveries.push({ to: s.clientId, topic: m.topic, qos, retain, subIds: subIds && [...subIds] }); return true },
  })
  const events = new Accounting(stats, () => false)
  const sessions = new Sessions(events, router, stats, {
    maxInflight: 20, maxQueued: 100, clock: new ManualClock(), persistentClientExpirationMs: undefined, publishWill: () => {},
  })
  const subscribe = (sub: Subscription) => sessions.subscribe(sub)
  const session = (id: string, connected = true): BrokerSession => {
    const s = new BrokerSession(id, events, 20, 100)
    if (connected) s.client = {} as BrokerClient
    return s
  }
  return { router, deliveries, stats, sessions, subscribe, session }
}
function sub(s: BrokerSession, filter: string, o: Partial<Subscription> = {}): Subscription {
  const shared = filter.match(/^\$share\/([^/]+)\/(.*)$/)
  return {
    session: s, filter, topicFilter: shared ? shared[2]! : filter, group: shared ? shared[1] : undefined, qos: 2,
    noLocal: false, retainAsPublished: false, retainHandling: 0, id: undefined, ...o,
  }
}
const msg = (topic: string, qos: QoS = 1, retain = false): Message => makeMessage(topic, Buffer.from('p'), qos, retain, undefined, 0)

test('QoS is downgraded to the subscription QoS [MQTT-3.8.4-6]', () => {
  const { router, deliveries, subscribe, session } = setup()
  subscribe(sub(session('a'), 'x', { qos: 0 }))
  subscribe(sub(session('b'), 'x', { qos: 2 }))
  assert.equal(router.route(msg('x', 1), undefined), 2)
  assert.deepEqual(deliveries.map((d) => [d.to, d.qos]), [['a', 0], ['b', 1]])
})

test('overlapping subscriptions of one session give one copy at the highest QoS with all identifiers [MQTT-3.3.4-2]', () => {
  const { router, deliveries, subscribe, session } = setup()
  const a = session('a')
  subscribe(sub(a, 'x/+', { qos: 0, id: 1 }))
  subscribe(sub(a, 'x/#', { qos: 1, id: 2 }))
  router.route(msg('x/y', 2), undefined)
  assert.equal(deliveries.length, 1)
  assert.equal(deliveries[0]!.qos, 1)
  assert.deepEqual(deliveries[0]!.subIds?.sort(), [1, 2])
})

test('no-local skips the publisher\'s own session [MQTT-3.8.3-3]', () => {
  const { router, deliveries, subscribe, session } = setup()
  const a = session('a')
  subscribe(sub(a, 'x', { noLocal: true }))
  subscribe(sub(session('b'), 'x'))
  router.route(msg('x'), a)
  assert.deepEqual(deliveries.map((d) => d.to), ['b'])
})

test('the retain flag is cleared unless retain-as-published [MQTT-3.3.1-12], [MQTT-3.3.1-13]', () => {
  const { router, deliveries, subscribe, session } = setup()
  subscribe(sub(session('a'), 'x'))
  subscribe(sub(session('b'), 'x', { retainAsPublished: true }))
  router.route(msg('x', 0, true), undefined)
  assert.deepEqual(deliveries.map((d) => [d.to, d.retain]), [['a', false], ['b', true]])
})

test('a shared group gets each message once, round robin over its members', () => {
  const { router, deliveries, stats, subscribe, session } = setup()
  for (const id of ['m1', 'm2', 'm3']) subscribe(sub(session(id), '$share/g/t/#'))
  subscribe(sub(session('other'), '$share/h/t/#'))
  assert.equal(stats.sharedSubscriptionsCount, 4)
  for (let i = 0; i < 6; i++) router.route(msg('t/x'), undefined)
  const g = deliveries.filter((d) => d.to !== 'other').map((d) => d.to)
  assert.deepEqual(g, ['m1', 'm2', 'm3', 'm1', 'm2', 'm3'])
  assert.equal(deliveries.filter((d) => d.to === 'other').length, 6)
})

test('a shared group prefers connected members', () => {
  const { router, deliveries, subscribe, session } = setup()
  subscribe(sub(session('off', false), '$share/g/t'))
  subscribe(sub(session('on'), '$share/g/t'))
  for (let i = 0; i < 3; i++) router.route(msg('t'), undefined)
  assert.deepEqual(deliveries.map((d) => d.to), ['on', 'on', 'on'])
})

test('resubscribing replaces the subscription; unsubscribe and session end keep counts right', () => {
  const { router, deliveries, stats, sessions, subscribe } = setup()
  const a = sessions.open('a', true).session
  assert.equal(subscribe(sub(a, 'x', { qos: 0 })), undefined)
  assert.notEqual(subscribe(sub(a, 'x', { qos: 1 })), undefined) // [MQTT-3.8.4-3]
  assert.equal(stats.subscriptionsCount, 1)
  router.route(msg('x', 2), undefined)
  assert.deepEqual(deliveries.map((d) => d.qos), [1])
  subscribe(sub(a, 'y'))
  assert.equal(sessions.unsubscribe(a, 'x'), true)
  assert.equal(sessions.unsubscribe(a, 'x'), false)
  sessions.end(a)
  assert.equal(stats.subscriptionsCount, 0)
  assert.equal(router.route(msg('y'), undefined), 0)
})
