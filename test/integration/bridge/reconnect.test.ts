// A bridge's reconnects on A's injected clock: restart_timeout, QoS 1 messages through a restart of the remote
// and of this broker (none lost, in order), addresses in turn, back to the first one without round_robin, and
// start_type once. B is a real tsbroker on loopback; its sockets go at their own pace, time on A only moves here.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { BridgeSpec } from '../../../src/broker/bridge/spec.js'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerOptions, LogLevel } from '../../../src/broker/options.js'
import { client, clientWithInbox, type Inbox, until } from '../../helpers/broker-start.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { settle } from '../../helpers/memory-peer.js'
import { freePort } from '../../helpers/mosquitto.js'

interface Running { broker: Broker; url: string; logs: string[]; port: number }

async function broker(t: TestContext, port: number, opts: BrokerOptions = {}): Promise<Running> {
  const logs: string[] = []
  const b = createBroker({ logger: (_l: LogLevel, line) => logs.push(line), ...opts })
  const a = await b.listen({ port, host: '127.0.0.1' })
  t.after(() => b.close())
  return { broker: b, url: `mqtt://127.0.0.1:${a.port}`, logs, port: a.port }
}

function storeFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-bridge-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'tsbroker.db')
}

const spec = (ports: number[], o: Partial<BridgeSpec> = {}): BridgeSpec => ({
  name: 'ab', remoteClientId: 'edge', addresses: ports.map((port) => ({ host: '127.0.0.1', port })),
  topics: [{ pattern: 'q/#', direction: 'out', qos: 1 }], restartTimeout: 2, ...o,
})
const attempts = (a: Running) => a.logs.filter((l) => l.startsWith('Connecting bridge ab')).length
const bridgeOn = (b: Running) => b.logs.some((l) => l.startsWith('New bridge connected from'))
/** MQTT.js against A: no keepalive, since A's clock only moves when the test says. */
const quiet = { keepalive: 0 }

/** The persistent subscriber; its Inbox is attached before CONNACK, since a resumed session delivers right after it. */
async function keeper(t: TestContext, url: string): Promise<Inbox> {
  const { client: c, inbox, connack } = clientWithInbox(t, url, { clientId: 'keeper', clean: false })
  await connack
  await c.subscribeAsync('q/#', { qos: 1 })
  return inbox
}

/** The first `n` distinct payloads, in order of first arrival: those `before` got, then what `inbox` gets. */
async function received(inbox: Inbox, n: number, before: Inbox[] = []): Promise<string[]> {
  const seen: string[] = []
  for (const m of before.flatMap((i) => i.messages)) if (!seen.includes(m.payload.toString())) seen.push(m.payload.toString())
  for (let i = 0; seen.length < n && i < n * 3; i++) { // QoS 1: a resend after a restart may come twice
    const p = (await inbox.next(10_000)).payload.toString()
    if (!seen.includes(p)) seen.push(p)
  }
  return seen
}

test('QoS 1 messages flowing while the remote restarts all arrive, in order, once it is back (restart_timeout on the clock)', async (t) => {
  const clock = new ManualClock()
  const file = storeFile(t)
  let b = await broker(t, 0, { persistence: { file } })
  const port = b.port
  const a = await broker(t, 0, { clock, bridges: [spec([port])] })
  await until(() => bridgeOn(b), 5000, 'the bridge on B')
  const beforeRestart = await keeper(t, b.url)
  const pub = await client(t, a.url, quiet)
  const sent = Array.from({ length: 20 }, (_, i) => `m${i + 1}`)
  for (const m of sent.slice(0, 10)) await pub.publishAsync('q/x', m, { qos: 1 })
  await b.broker.close() // some of the ten may still be on the way
  await until(() => a.logs.includes('Client local.edge closed its connection.'), 5000, 'A to see the loss')
  for (const m of sent.slice(10)) await pub.publishAsync('q/x', m, { qos: 1 })
  b = await broker(t, port, { persistence: { file } })
  const onB = await keeper(t, b.url)
  assert.equal(attempts(a), 1, 'no attempt before restart_timeout')
  clock.advance(1999)
  await settle()
  assert.equal(attempts(a), 1)
  clock.advance(1)
  await until(() => bridgeOn(b), 5000, 'the bridge back on B')
  assert.deepEqual(await received(onB, 20, [beforeRestart]), sent)
})

test('QoS 1 messages queued while the remote is down survive a restart of this broker (persistence, local_cleansession false)', async (t) => {
  const file = storeFile(t)
  const port = await freePort()
  const first = await broker(t, 0, { persistence: { file }, bridges: [spec([port])] })
  const pub = await client(t, first.url)
  for (const m of ['a', 'b', 'c']) await pub.publishAsync('q/x', m, { qos: 1 })
  await first.broker.close()
  const b = await broker(t, port)
  const onB = await keeper(t, b.url)
  await broker(t, 0, { persistence: { file }, bridges: [spec([port])] })
  assert.deepEqual(await received(onB, 3), ['a', 'b', 'c'])
})

test('several addresses: a failed attempt moves to the next; without round_robin the first is checked every 5 s and taken back', async (t) => {
  const clock = new ManualClock()
  const primaryPort = await freePort()
  const secondary = await broker(t, 0)
  const a = await broker(t, 0, { clock, bridges: [spec([primaryPort, secondary.port])] })
  await until(() => a.logs.some((l) => l.startsWith('Error creating bridge: ')), 5000, 'the first attempt to fail')
  clock.advance(2000)
  await until(() => bridgeOn(secondary), 5000, 'the bridge on the second address')
  const primary = await broker(t, primaryPort)
  // mosquitto's check of the first address, every 5 s, is armed once the bridge has its CONNACK from the second
  // address, which can be after the second broker lists the client (a loaded machine showed it): move time on in
  // steps until the switch back, rather than once by 5 s that may come before the timer exists.
  await until(() => { clock.advance(500); return a.logs.includes('Bridge ab returning to its primary address.') }, 5000, 'the switch back')
  clock.advance(2000)
  await until(() => bridgeOn(primary), 5000, 'the bridge on the first address')
  assert.deepEqual(a.logs.filter((l) => l.startsWith('Connecting bridge')), [
    `Connecting bridge ab (127.0.0.1:${primaryPort})`, `Connecting bridge ab (127.0.0.1:${secondary.port})`, `Connecting bridge ab (127.0.0.1:${primaryPort})`,
  ])
})

test('round_robin: no going back to the first address; the next one after a loss', async (t) => {
  const clock = new ManualClock()
  const one = await broker(t, 0)
  const two = await broker(t, 0)
  const a = await broker(t, 0, { clock, bridges: [spec([one.port, two.port], { roundRobin: true })] })
  await until(() => bridgeOn(one), 5000, 'the bridge on the first address')
  await one.broker.close()
  await until(() => a.logs.includes('Client local.edge closed its connection.'), 5000, 'the loss')
  clock.advance(2000)
  await until(() => bridgeOn(two), 5000, 'the bridge on the second address')
  await broker(t, one.port) // the first address is back: round_robin stays where it is
  clock.advance(5000)
  await settle()
  clock.advance(5000)
  await settle()
  assert.equal(attempts(a), 2, 'still on the second address')
  assert.ok(!a.logs.includes('Bridge ab returning to its primary address.'))
})

test('start_type once: not restarted after the connection fails', async (t) => {
  const clock = new ManualClock()
  const b = await broker(t, 0)
  const a = await broker(t, 0, { clock, bridges: [spec([b.port], { startType: 'once' })] })
  await until(() => bridgeOn(b), 5000, 'the bridge')
  const port = b.port
  await b.broker.close()
  await until(() => a.logs.includes('Client local.edge closed its connection.'), 5000, 'the loss')
  const again = await broker(t, port)
  clock.advance(60_000)
  await settle()
  assert.equal(attempts(a), 1)
  assert.equal(bridgeOn(again), false)
})

test('a QoS 1 message waiting for the remote, too large for the Maximum Packet Size its new CONNACK announces, is dropped and acknowledged here, not kept for ever [MQTT-3.2.2-15] (v5)', async (t) => {
  const port = await freePort()
  const first = await broker(t, port)
  const a = await broker(t, 0, { bridges: [spec([port], { protocolVersion: 5 })] })
  await until(() => first.logs.some((l) => l.includes(' as edge (p5')), 5000, 'the bridge on the remote') // v5: no bridge bit, so a plain client line
  await first.broker.close()
  await until(() => a.logs.includes('Client local.edge closed its connection.'), 5000, 'the loss')
  const pub = await client(t, a.url)
  await pub.publishAsync('q/big', Buffer.alloc(500, 0x61), { qos: 1 }) // waits in the bridge for the remote
  const b = await broker(t, port, { maxPacketSize: 100 })
  const onB = await keeper(t, b.url)
  await until(() => a.logs.includes("Bridge ab dropped a too large PUBLISH on 'q/big' (500 bytes)."), 10_000, 'the drop at the reconnect')
  await pub.publishAsync('q/x', 'small', { qos: 1 })
  assert.equal((await onB.next(10_000)).payload.toString(), 'small')
})
