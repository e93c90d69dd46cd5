import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newStats } from '../../src/broker/stats.js'
import { createSysTree, startSysPublisher, type SysMessage, type SysTarget } from '../../src/broker/sys-tree.js'
import { ManualClock } from '../helpers/manual-clock.js'

const T0 = 1_700_000_000_000
const byTopic = (ms: SysMessage[]) => new Map(ms.map((m) => [m.topic.replace('$SYS/broker/', ''), m.payload]))

test('first update: version (no expiry), uptime, every counter and every load at 0.00, all with expiry 60', () => {
  const stats = newStats(T0)
  Object.assign(stats, { clientsConnected: 2, clientsDisconnected: 1, clientsMaximum: 3, retainedCount: 4, bytesReceived: 100 })
  const msgs = createSysTree('tsbroker version 9.9.9').update(stats, T0 + 1500)
  const m = byTopic(msgs)
  assert.equal(m.get('version'), 'tsbroker version 9.9.9')
  assert.equal(msgs.find((x) => x.topic === '$SYS/broker/version')!.expiry, undefined)
  assert.ok(msgs.filter((x) => x.topic !== '$SYS/broker/version').every((x) => x.expiry === 60))
  assert.equal(m.get('uptime'), '1 seconds')
  assert.equal(m.get('clients/total'), '3')
  assert.equal(m.get('clients/connected'), '2')
  assert.equal(m.get('clients/active'), '2')
  assert.equal(m.get('clients/disconnected'), '1')
  assert.equal(m.get('clients/inactive'), '1')
  assert.equal(m.get('clients/maximum'), '3')
  assert.equal(m.get('retained messages/count'), '4')
  assert.equal(m.get('bytes/received'), '100')
  for (const t of ['messages/stored', 'store/messages/count', 'store/messages/bytes', 'subscriptions/count',
    'shared_subscriptions/count', 'messages/received', 'messages/sent', 'publish/messages/dropped',
    'publish/messages/received', 'publish/messages/sent', 'bytes/sent', 'publish/bytes/received', 'publish/bytes/sent',
    'clients/expired']) assert.equal(m.get(t), '0', t)
  const loads = [...m].filter(([t]) => t.startsWith('load/'))
  assert.equal(loads.length, 9 * 3)
  assert.ok(loads.every(([, v]) => v === '0.00'))
  assert.ok(m.has('load/bytes/received/15min') && m.has('load/sockets/1min'))
})

test('later updates: uptime always, only changed values, no version', () => {
  const tree = createSysTree('v')
  const stats = newStats(T0)
  tree.update(stats, T0)
  stats.clientsConnected = 1
  stats.clientsMaximum = 1
  const m = byTopic(tree.update(stats, T0 + 10_000))
  assert.deepEqual([...m.keys()].sort(), ['clients/active', 'clients/connected', 'clients/maximum', 'clients/total', 'uptime'])
  assert.equal(m.get('uptime'), '10 seconds')
  assert.deepEqual([...byTopic(tree.update(stats, T0 + 20_000)).keys()], ['uptime'])
})

test('load averages: rate = Δ×60/Δt, new = rate + e^(−Δt/W)(old − rate), %.2f, republished on a change ≥ 0.01', () => {
  const tree = createSysTree('v')
  const stats = newStats(T0)
  tree.update(stats, T0)
  stats.messagesReceived = 100 // in 10 s → 600 per minute
  const m = byTopic(tree.update(stats, T0 + 10_000))
  const expect = (w: number) => (600 + Math.exp(-10 / w) * (0 - 600)).toFixed(2)
  assert.equal(m.get('load/messages/received/1min'), expect(60))
  assert.equal(m.get('load/messages/received/1min'), '92.11')
  assert.equal(m.get('load/messages/received/5min'), expect(300))
  assert.equal(m.get('load/messages/received/15min'), expect(900))
  assert.equal(m.has('load/messages/sent/1min'), false) // unchanged 0.00 is not republished
  // no new messages: the averages decay and are republished while they move by ≥ 0.01
  const m2 = byTopic(tree.update(stats, T0 + 20_000))
  const first = 600 - 600 * Math.exp(-10 / 60)
  assert.equal(m2.get('load/messages/received/1min'), (first * Math.exp(-10 / 60)).toFixed(2)) // 77.97
})

test('a load below the 0.01 threshold is not republished', () => {
  const tree = createSysTree('v')
  const stats = newStats(T0)
  tree.update(stats, T0)
  stats.bytesSent = 1 // over 7200 s: 1/120 per minute, so no average can move by 0.01
  const m = byTopic(tree.update(stats, T0 + 7_200_000))
  assert.deepEqual([...m.keys()].filter((t) => t.startsWith('load/')), [])
  assert.equal(m.get('bytes/sent'), '1')
})

function target() {
  const published: { topic: string; payload: string; qos: number; retain: boolean; expiry?: number }[] = []
  const t: SysTarget = {
    stats: newStats(0),
    publish(msg) {
      published.push({ topic: msg.topic, payload: msg.payload.toString(), qos: msg.qos, retain: msg.retain, expiry: msg.properties?.messageExpiryInterval })
    },
  }
  return { t, published }
}

test('scheduler: first update right away, then every sys_interval seconds, retained at QoS 2; stop() ends it', () => {
  const clock = new ManualClock()
  const { t, published } = target()
  const pub = startSysPublisher(t, { intervalSeconds: 10, version: 'tsbroker version 1', clock, sampleHeap: () => 4096 })
  assert.ok(published.some((p) => p.topic === '$SYS/broker/version' && p.payload === 'tsbroker version 1' && p.expiry === undefined))
  assert.ok(published.every((p) => p.qos === 2 && p.retain === true))
  assert.ok(published.some((p) => p.topic === '$SYS/broker/heap/current' && p.payload === '4096'))
  const first = published.length
  clock.advance(9_999)
  assert.equal(published.length, first)
  clock.advance(1)
  assert.deepEqual(published.slice(first).map((p) => [p.topic, p.payload, p.expiry]), [['$SYS/broker/uptime', '10 seconds', 60]])
  pub.stop()
  clock.advance(60_000)
  assert.equal(published.length, first + 1)
})

test('scheduler: sys_interval 0 publishes nothing; a failing publish is reported and the schedule goes on', async () => {
  const clock = new ManualClock()
  const { t, published } = target()
  startSysPublisher(t, { intervalSeconds: 0, version: 'v', clock })
  clock.advance(100_000)
  assert.equal(published.length, 0)
  const errors: unknown[] = []
  let calls = 0
  const failing: SysTarget = { stats: newStats(0), publish: () => { calls++; return Promise.reject(new Error('closed')) } }
  const p = startSysPublisher(failing, { intervalSeconds: 1, version: 'v', clock, onError: (e) => errors.push(e) })
  const firstCalls = calls
  clock.advance(1000)
  assert.ok(calls > firstCalls)
  await new Promise((r) => setImmediate(r))
  assert.equal(errors.length, calls)
  p.stop()
})

test('load/connections follows accepted CONNECTs, and heap/* is published when the snapshot carries it', () => {
  const tree = createSysTree('v')
  const stats = newStats(T0)
  const first = tree.update({ ...stats, heapCurrent: 1000, heapMaximum: 2000 }, T0)
  const byTopic = new Map(first.map((m) => [m.topic, m.payload]))
  assert.equal(byTopic.get('$SYS/broker/heap/current'), '1000')
  assert.equal(byTopic.get('$SYS/broker/heap/maximum'), '2000')
  assert.equal(byTopic.get('$SYS/broker/load/connections/1min'), '0.00')
  stats.connectsAccepted = 60 // 60 CONNECTs in 60 s = 60 per minute
  const later = new Map(tree.update(stats, T0 + 60_000).map((m) => [m.topic, m.payload]))
  assert.equal(later.get('$SYS/broker/load/connections/1min'), (60 * (1 - Math.exp(-1))).toFixed(2))
  assert.equal(later.has('$SYS/broker/heap/current'), false, 'no heap in the snapshot: nothing published')
})
