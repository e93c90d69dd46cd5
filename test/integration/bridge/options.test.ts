// The rest of a bridge's directives, between two in-process tsbrokers: start_type lazy (threshold,
// idle_timeout) on A's injected clock, bridge_max_packet_size, bridge_attempt_unsubscribe, keepalive_interval,
// bridge_outgoing_retain, and the remote session kept while the bridge is away (cleansession false).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { client, clientWithInbox, startBroker, until } from '../../helpers/broker-start.js'
import { bridged, firstAfterRetainedCrossing, stateIs, subscriber } from '../../helpers/bridges.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { settle } from '../../helpers/memory-peer.js'

const lines = (logs: [unknown, string][]) => logs.map(([, l]) => l)

test('start_type lazy: connects once `threshold` messages wait, leaves after idle_timeout without traffic, comes back for more', async (t) => {
  const clock = new ManualClock()
  const { a, b } = await bridged(t, { startType: 'lazy', threshold: 3, idleTimeout: 10, restartTimeout: 2, topics: [{ pattern: 'q/#', direction: 'out', qos: 1 }] }, { a: { clock } })
  const onB = await subscriber(t, b.url, 'q/#')
  const pub = await client(t, a.url, { keepalive: 0 })
  const toBridge = () => lines(a.logs).filter((l) => l.startsWith('Sending PUBLISH to local.edge')).length
  await pub.publishAsync('q/1', 'one', { qos: 1 })
  await pub.publishAsync('q/2', 'two', { qos: 1 })
  await until(() => toBridge() === 2, 5000, 'two messages for the bridge')
  await settle()
  assert.ok(!lines(a.logs).some((l) => l.startsWith('Connecting bridge')), 'two are below the threshold')
  await pub.publishAsync('q/3', 'three', { qos: 1 })
  assert.deepEqual([await onB.next(), await onB.next(), await onB.next()].map((m) => m.payload.toString()), ['one', 'two', 'three'])
  await stateIs(t, b.url, '1')
  clock.advance(10_000)
  await until(() => lines(a.logs).includes('Bridge connection local.edge has exceeded idle timeout, disconnecting.'), 5000, 'the idle timeout')
  await stateIs(t, b.url, '0') // the will: it left without DISCONNECT
  for (const m of ['four', 'five', 'six']) await pub.publishAsync('q/x', m, { qos: 1 })
  clock.advance(2000) // restart_timeout, then the threshold is already met
  assert.deepEqual([await onB.next(), await onB.next(), await onB.next()].map((m) => m.payload.toString()), ['four', 'five', 'six'])
})

test('bridge_max_packet_size: a larger message is dropped (and acknowledged here), the ones after it pass', async (t) => {
  const { a, b } = await bridged(t, { maxPacketSize: 100, topics: [{ pattern: 'big/#', direction: 'out', qos: 1 }] })
  await stateIs(t, a.url, '1')
  const onB = await subscriber(t, b.url, 'big/#')
  const pub = await client(t, a.url)
  await pub.publishAsync('big/x', Buffer.alloc(200, 0x61), { qos: 1 })
  await pub.publishAsync('big/x', 'small', { qos: 1 })
  assert.equal((await onB.next()).payload.toString(), 'small')
})

test('bridge_attempt_unsubscribe (default): an `out` line is unsubscribed on the remote, before the lines after it subscribe; keepalive_interval; bridge_bind_address', async (t) => {
  const { a, b } = await bridged(t, { keepalive: 30, bindAddress: '127.0.0.1', topics: [{ pattern: 'out/#', direction: 'out' }, { pattern: 'in/#', direction: 'in', qos: 1 }] })
  await stateIs(t, a.url, '1')
  assert.ok(lines(b.logs).some((l) => l.startsWith('New bridge connected') && l.endsWith('as edge (p2, c0, k30).')))
  const onA = await subscriber(t, a.url, 'in/#')
  await (await client(t, b.url)).publishAsync('in/x', 'in', { qos: 1 })
  await onA.next() // B has handled the SUBSCRIBE of in/#, so the UNSUBSCRIBE before it too
  assert.ok(lines(b.logs).includes('edge out/#'), 'UNSUBSCRIBE out/# logged on B')
})

test('bridge_attempt_unsubscribe false: no UNSUBSCRIBE', async (t) => {
  const { a, b } = await bridged(t, { attemptUnsubscribe: false, topics: [{ pattern: 'out/#', direction: 'out' }, { pattern: 'in/#', direction: 'in', qos: 1 }] })
  await stateIs(t, a.url, '1')
  const onA = await subscriber(t, a.url, 'in/#')
  await (await client(t, b.url)).publishAsync('in/x', 'in', { qos: 1 })
  await onA.next()
  assert.ok(!lines(b.logs).includes('edge out/#'))
})

test('bridge_outgoing_retain false: messages reach the remote with retain 0, so it keeps none', async (t) => {
  const { a, b } = await bridged(t, { outgoingRetain: false, topics: [{ pattern: 'r/#', direction: 'out', qos: 1 }] })
  await stateIs(t, a.url, '1')
  assert.equal(await firstAfterRetainedCrossing(t, a.url, b.url, 'r'), 'r/marker')
})

function storeFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-bridge-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'tsbroker.db')
}

test('cleansession false: the remote keeps the bridge\'s session while it is away, and hands over what it queued', async (t) => {
  const b = await startBroker(t)
  const file = storeFile(t)
  // a persistent watcher on A, so what the bridge brings in later is kept for it
  const setup = await startBroker(t, { persistence: { file } })
  const w = await client(t, setup.url, { clientId: 'watcher', clean: false })
  await w.subscribeAsync('cmd/#', { qos: 1 })
  await w.endAsync()
  await setup.broker.close()
  const spec = { name: 'ab', remoteClientId: 'edge', addresses: [{ host: '127.0.0.1', port: b.port }], topics: [{ pattern: 'cmd/#', direction: 'in' as const, qos: 1 as const }] }
  const first = await startBroker(t, { persistence: { file }, bridges: [spec] })
  await stateIs(t, b.url, '1')
  await first.broker.close()
  await stateIs(t, b.url, '0')
  await (await client(t, b.url)).publishAsync('cmd/reboot', 'while away', { qos: 1 })
  const again = await startBroker(t, { persistence: { file }, bridges: [spec] })
  // delivered live, or queued in the watcher's session if the bridge was quicker than the watcher
  const { inbox } = clientWithInbox(t, again.url, { clientId: 'watcher', clean: false })
  const m = await inbox.next(5000)
  assert.deepEqual([m.topic, m.payload.toString()], ['cmd/reboot', 'while away'])
})
