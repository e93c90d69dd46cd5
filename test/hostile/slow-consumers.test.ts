// Issue 10 item 5: subscribers that stop reading cannot take the broker's memory, and cannot slow the others.
// An in-process broker; the attackers subscribe and never read; a health client measures the broker's
// answer time throughout; memory is the process's heap + external (Buffers) after a garbage collection
// when available (`node --expose-gc`), else as is.
import assert from 'node:assert/strict'
import net from 'node:net'
import { duplexPair } from 'node:stream'
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../src/broker/broker.js'
import { encode, type Packet } from '../../src/codec/index.js'
import { Peer } from '../helpers/broker-peer.js'
import { until } from '../helpers/broker-start.js'
import { ManualClock } from '../helpers/manual-clock.js'

const connect = (clientId: string): Packet => ({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 })
const subscribe = (topic: string, qos: 0 | 1 = 0): Packet => ({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] })

function memory(): number {
  (globalThis as { gc?: () => void }).gc?.()
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

/** A raw client counting the bytes it receives; `read: false` stops reading once subscribed. */
async function raw(t: TestContext, port: number, id: string, read: boolean): Promise<{ socket: net.Socket; bytes: () => number }> {
  const socket = net.connect({ port, host: '127.0.0.1' })
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  t.after(() => { socket.destroy() })
  let bytes = 0
  let acked!: () => void
  const subscribed = new Promise<void>((resolve) => { acked = resolve })
  socket.on('data', (c: Buffer) => { bytes += c.length; if (c.includes(0x90)) acked() })
  socket.write(Buffer.concat([encode(connect(id), 4), encode(subscribe('flood/#'), 4)]))
  await subscribed
  if (!read) socket.pause()
  return { socket, bytes: () => bytes }
}

test('ten never-reading QoS 0 subscribers under a 200,000 × 1 KB flood add under 50 MB; a reading subscriber gets every message; drops are counted', async (t) => {
  const broker = createBroker()
  t.after(() => broker.close())
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  for (let i = 0; i < 10; i++) await raw(t, port, `stuck-${i}`, false)
  const reader = await raw(t, port, 'reader', true)
  const health = await Peer.connected(t, port, 4, 'health')
  const before = memory()
  const one = encode({ cmd: 'publish', topic: 'flood/x', payload: Buffer.alloc(1024, 7), qos: 0, retain: false, dup: false }, 4)
  const N = 200_000
  const pub = net.connect({ port, host: '127.0.0.1' })
  t.after(() => { pub.destroy() })
  await new Promise<void>((resolve) => pub.once('connect', resolve))
  pub.write(encode(connect('flood'), 4))
  let slowest = 0
  let peak = 0
  // A subscriber that keeps up is one less than max_queued_bytes (2 MiB) behind: the flood waits for the
  // reader when it is 1 MB behind, so a loaded machine (the reader shares this process) cannot make it a
  // slow consumer too. The stuck ones fall behind without bound.
  const behind = (i: number) => 6 + one.length * i - reader.bytes()
  for (let i = 0; i < N; i++) {
    if (!pub.write(one)) await new Promise((r) => pub.once('drain', r))
    if (i % 256 === 0 && behind(i) > 1e6) await until(() => behind(i) < 250e3, 30_000)
    if (i % 20_000 === 0) { // the broker keeps answering others throughout
      const sent = Date.now()
      health.send({ cmd: 'pingreq' })
      assert.equal((await health.next(5000)).cmd, 'pingresp')
      slowest = Math.max(slowest, Date.now() - sent)
      peak = Math.max(peak, memory() - before)
    }
  }
  const deadline = Date.now() + 60_000
  while (reader.bytes() < 2 + 4 + one.length * N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  assert.equal(Math.round((reader.bytes() - 6) / one.length), N, 'the reading subscriber got every message')
  const grown = Math.max(peak, memory() - before)
  assert.ok(grown < 50e6, `memory grew by ${(grown / 1e6).toFixed(1)} MB (bound 50 MB)`)
  assert.ok(broker.stats.publishDropped > 0, 'messages to the stuck subscribers were dropped, and counted')
  assert.ok(slowest < 2000, `PINGRESP took ${slowest} ms at worst`)
})

/** An in-memory connection into broker.handle() whose far end never reads. */
function stuckPeer(broker: Broker, clientId: string, topic: string, qos: 0 | 1): { closed: Promise<void> } {
  const [mine, theirs] = duplexPair({ highWaterMark: 1024 })
  broker.handle(theirs)
  mine.write(Buffer.concat([encode(connect(clientId), 4), encode(subscribe(topic, qos), 4)]))
  const closed = new Promise<void>((resolve) => theirs.once('close', () => resolve()))
  return { closed }
}

test('a client over max_queued_bytes for a minute is disconnected; until then its messages are dropped and counted', async (t) => {
  const clock = new ManualClock()
  clock.advance(1_000_000)
  const broker = createBroker({ clock, maxQueuedBytes: 64 * 1024 })
  t.after(() => broker.close())
  const stuck = stuckPeer(broker, 'stuck', 'big/#', 0)
  await new Promise((r) => setImmediate(r))
  const payload = Buffer.alloc(8 * 1024)
  for (let i = 0; i < 40; i++) broker.publish({ topic: 'big/x', payload })
  const dropped = broker.stats.publishDropped
  assert.ok(dropped > 20, `${dropped} of 40 dropped once 64 KB were waiting`)
  clock.advance(59_999)
  broker.publish({ topic: 'big/x', payload })
  let closed = false
  void stuck.closed.then(() => { closed = true })
  await new Promise((r) => setImmediate(r))
  assert.equal(closed, false)
  clock.advance(1)
  broker.publish({ topic: 'big/x', payload })
  await stuck.closed
  assert.equal(broker.stats.publishDropped, dropped + 2)
})

test('max_queued_bytes bounds an offline session\'s QoS 1 queue too; one message larger than the limit still goes to a client with nothing waiting', async (t) => {
  const broker = createBroker({ maxQueuedBytes: 10_000 })
  t.after(() => broker.close())
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const a = await Peer.connected(t, port, 4, 'offline', { clean: false })
  a.send(subscribe('q/#', 1))
  await a.next()
  a.socket.destroy()
  await until(() => broker.stats.clientsDisconnected === 1)
  for (let i = 0; i < 5; i++) broker.publish({ topic: 'q/x', payload: Buffer.alloc(3000), qos: 1 })
  assert.equal(broker.stats.publishDropped, 2, 'three fit in 10,000 bytes')
  const b = await Peer.connected(t, port, 4, 'idle')
  b.send(subscribe('huge', 0))
  await b.next()
  broker.publish({ topic: 'huge', payload: Buffer.alloc(50_000) })
  const p = await b.next()
  assert.equal(p.cmd, 'publish')
})
