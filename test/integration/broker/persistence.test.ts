// The durable store, in-process: what was acknowledged survives a crash (the store's writes stop at once,
// as after kill -9) and a clean close; nothing is acknowledged before it is on disk; a store that cannot
// write refuses QoS 1/2 and recovers. The kill -9 tests of the real tsbroker are in persistence-crash.test.ts.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerOptions, LogLevel } from '../../../src/broker/options.js'
import { scanFile } from '../../../src/broker/persistence/file-format.js'
import { parseRecords } from '../../../src/broker/persistence/records.js'
import type { ConnackPacket, Packet, PublishPacket } from '../../../src/codec/index.js'
import { Peer } from '../../helpers/broker-peer.js'
import { until } from '../../helpers/broker-start.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { TestStoreIo } from '../../helpers/store-io.js'

interface Durable { broker: Broker; port: number; io: TestStoreIo; logs: [LogLevel, string][]; file: string }

function storeDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-store-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function durable(t: TestContext, dir: string, opts: BrokerOptions = {}): Promise<Durable> {
  const io = new TestStoreIo()
  const logs: [LogLevel, string][] = []
  const file = join(dir, 'tsbroker.db')
  const broker = createBroker({ logger: (l, line) => logs.push([l, line]), ...opts, persistence: { file, io, retryMs: 1000 } })
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => broker.close())
  return { broker, port, io, logs, file }
}

/** The process dies: nothing more reaches the disk, every connection drops. */
async function crash(d: Durable): Promise<void> {
  d.io.crash()
  await d.broker.close()
}

const persistent = (v: 4 | 5) => (v === 5 ? { clean: false, properties: { sessionExpiryInterval: 3600 } } : { clean: false })
const text = (p: Packet) => (p as PublishPacket).payload.toString()

/** A persistent session of `clientId`, connected and subscribed to `topic` (its SUBACK read). */
async function subscribed(t: TestContext, port: number, v: 4 | 5, clientId: string, topic: string, qos: 1 | 2): Promise<Peer> {
  const peer = await Peer.connected(t, port, v, clientId, persistent(v))
  peer.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] })
  await peer.next()
  return peer
}

for (const v of [4, 5] as const) {
  test(`v${v}: retained messages, a persistent session's subscriptions and its offline queue survive a crash; $SYS counts are right after it`, async (t) => {
    const dir = storeDir(t)
    const a = await durable(t, dir)
    const sub = await Peer.connected(t, a.port, v, 'keeper', persistent(v))
    sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'q/#', qos: 2 }] })
    assert.equal((await sub.next()).cmd, 'suback')
    sub.socket.destroy()
    await until(() => a.broker.stats.clientsConnected === 0)
    const pub = await Peer.connected(t, a.port, v, 'pub')
    pub.send({ cmd: 'publish', topic: 'q/1', payload: Buffer.from('one'), qos: 1, messageId: 1, retain: false, dup: false })
    pub.send({ cmd: 'publish', topic: 'q/2', payload: Buffer.from('two'), qos: 2, messageId: 2, retain: false, dup: false })
    pub.send({ cmd: 'publish', topic: 'r/x', payload: Buffer.from('kept'), qos: 1, messageId: 3, retain: true, dup: false })
    const acks = [await pub.next(), await pub.next(), await pub.next()].map((p) => p.cmd)
    assert.deepEqual(acks.sort(), ['puback', 'puback', 'pubrec'])
    await crash(a)

    const b = await durable(t, dir)
    assert.deepEqual([b.broker.stats.storedMessages, b.broker.stats.storedBytes, b.broker.stats.retainedCount], [3, 10, 1])
    assert.equal(b.broker.stats.clientsDisconnected, 1)
    const again = await Peer.connected(t, b.port, v, 'keeper', persistent(v))
    assert.equal((again.packets[0] as ConnackPacket).sessionPresent, true)
    const got = [await again.next(), await again.next()] as PublishPacket[]
    assert.deepEqual(got.map((p) => [p.topic, p.qos, text(p)]), [['q/1', 1, 'one'], ['q/2', 2, 'two']])
    const late = await Peer.connected(t, b.port, v, 'late')
    late.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'r/#', qos: 1 }] })
    assert.equal((await late.next()).cmd, 'suback')
    const retained = await late.next() as PublishPacket
    assert.deepEqual([retained.topic, text(retained), retained.retain], ['r/x', 'kept', true])
  })
}

test('a QoS 2 message acknowledged with PUBREC before the crash: PUBREL after the restart gets PUBCOMP, and a resend is not delivered twice [MQTT-4.3.3-9]', async (t) => {
  const dir = storeDir(t)
  const a = await durable(t, dir)
  const sub = await subscribed(t, a.port, 5, 'sub', 'x', 2)
  sub.socket.destroy()
  const pub = await Peer.connected(t, a.port, 5, 'pub2', persistent(5))
  pub.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('once'), qos: 2, messageId: 9, retain: false, dup: false })
  assert.equal((await pub.next()).cmd, 'pubrec')
  await crash(a)

  const b = await durable(t, dir)
  const pub2 = await Peer.connected(t, b.port, 5, 'pub2', persistent(5))
  assert.equal((pub2.packets[0] as ConnackPacket).sessionPresent, true)
  pub2.send({ cmd: 'publish', topic: 'x', payload: Buffer.from('once'), qos: 2, messageId: 9, retain: false, dup: true })
  assert.deepEqual([(await pub2.next()).cmd], ['pubrec'])
  pub2.send({ cmd: 'pubrel', messageId: 9 })
  const comp = await pub2.next()
  assert.deepEqual([comp.cmd, (comp as { reasonCode?: number }).reasonCode ?? 0], ['pubcomp', 0])
  const again = await Peer.connected(t, b.port, 5, 'sub', persistent(5))
  const m = await again.next() as PublishPacket
  assert.equal(text(m), 'once')
  again.send({ cmd: 'pubrec', messageId: m.messageId! })
  assert.equal((await again.next()).cmd, 'pubrel')
  await assert.rejects(again.next(200), /no packet/, 'delivered exactly once')
})

test('outbound QoS 2 in flight at the crash: resent with DUP before PUBREC, PUBREL after it', async (t) => {
  const dir = storeDir(t)
  const a = await durable(t, dir)
  const sub = await subscribed(t, a.port, 4, 'out2', 'o', 2)
  a.broker.publish({ topic: 'o', payload: Buffer.from('first'), qos: 2 })
  a.broker.publish({ topic: 'o', payload: Buffer.from('second'), qos: 2 })
  const first = await sub.next() as PublishPacket
  const second = await sub.next() as PublishPacket
  sub.send({ cmd: 'pubrec', messageId: first.messageId! })
  assert.equal((await sub.next()).cmd, 'pubrel')
  await a.broker.flush() // the PUBREC's state change is on disk (it was, before PUBREL went out)
  await crash(a)

  const b = await durable(t, dir)
  const again = await Peer.connected(t, b.port, 4, 'out2', persistent(4))
  const p1 = await again.next()
  const p2 = await again.next() as PublishPacket
  assert.deepEqual([p1.cmd, (p1 as { messageId: number }).messageId], ['pubrel', first.messageId])
  assert.deepEqual([p2.cmd, p2.messageId, p2.dup, text(p2)], ['publish', second.messageId, true, 'second'])
})

test('nothing is acknowledged before it is on disk: PUBREC, the PUBACK of a message a persistent subscriber still holds, and a QoS 2 delivery wait for the sync', async (t) => {
  const dir = storeDir(t)
  const a = await durable(t, dir)
  const sub = await subscribed(t, a.port, 4, 'watch', 'w', 2)
  const release = a.io.hold()
  const started = a.io.nextAppend()
  const pub = await Peer.connected(t, a.port, 4, 'p')
  pub.send({ cmd: 'publish', topic: 'w', payload: Buffer.from('1'), qos: 1, messageId: 1, retain: false, dup: false })
  pub.send({ cmd: 'publish', topic: 'w', payload: Buffer.from('2'), qos: 2, messageId: 2, retain: false, dup: false })
  await started
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  assert.deepEqual(pub.packets, [pub.packets[0]], 'only the CONNACK: no acknowledgement yet')
  // QoS 1 goes out at once: were the broker to die now, the publisher (not acknowledged) sends it again
  assert.deepEqual(sub.packets.slice(2).map((p) => [p.cmd, text(p)]), [['publish', '1']], 'the QoS 2 delivery waits')
  release()
  assert.deepEqual([(await pub.next()).cmd, (await pub.next()).cmd], ['puback', 'pubrec'])
  assert.equal(text(await sub.next()), '1')
  assert.equal(text(await sub.next()), '2')
})

test('a QoS 1 message every subscriber has acknowledged is acknowledged without waiting for the disk, in order [MQTT-4.6.0-2], and never written', async (t) => {
  const dir = storeDir(t)
  const a = await durable(t, dir)
  const away = await subscribed(t, a.port, 4, 'away', 'held', 1)
  away.socket.destroy()
  const sub = await subscribed(t, a.port, 4, 'online', 'w', 1)
  const other = await Peer.connected(t, a.port, 4, 'other')
  const pub = await Peer.connected(t, a.port, 4, 'p')
  const publish = (peer: Peer, topic: string, payload: string, messageId: number, retain = false) =>
    peer.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, messageId, retain, dup: false })
  const ackFromSub = async (payload: string) => {
    const m = await sub.next() as PublishPacket
    assert.equal(text(m), payload)
    sub.send({ cmd: 'puback', messageId: m.messageId! })
  }

  // another client's write is on its way to the disk (held), so the store is not synced
  const release = a.io.hold()
  const started = a.io.nextAppend()
  publish(other, 'held', 'kept', 1)
  await started
  publish(pub, 'w', 'never-written', 1)
  await ackFromSub('never-written')
  assert.equal((await pub.next()).cmd, 'puback', 'acknowledged once its subscriber acknowledged it, the disk still busy')
  publish(pub, 'nobody', 'no subscriber', 2)
  assert.equal((await pub.next()).cmd, 'puback', 'nothing holds a message without subscribers')

  // clearing a retained message changes the retained set: it waits for the disk
  publish(pub, 'gone', '', 3, true)
  // a message a session still holds keeps the PUBACKs after it waiting, even of messages nothing holds
  publish(pub, 'held', 'queued for away', 4)
  publish(pub, 'w', 'free but behind', 5)
  await ackFromSub('free but behind')
  publish(pub, 'r', 'retained', 6, true)
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  assert.equal(pub.packets.length, 3, 'CONNACK and the two PUBACKs above only')
  assert.equal(other.packets.length, 1, 'CONNACK only')
  release()
  assert.deepEqual([await pub.next(), await pub.next(), await pub.next(), await pub.next()].map((p) => (p as { messageId: number }).messageId), [3, 4, 5, 6])
  assert.equal((await other.next()).cmd, 'puback')
  await a.broker.flush()
  const file = readFileSync(a.file)
  assert.ok(file.includes('kept') && file.includes('queued for away') && file.includes('retained'))
  assert.ok(!file.includes('never-written') && !file.includes('free but behind'), 'delivered and acknowledged before its frame: never written')
})

test('a store that cannot write refuses QoS 1/2 (v5 PUBACK 0x80, v3 disconnected), logs once, and recovers', async (t) => {
  const dir = storeDir(t)
  const clock = new ManualClock()
  clock.advance(1_000_000)
  const a = await durable(t, dir, { clock })
  const v5 = await Peer.connected(t, a.port, 5, 'five')
  a.io.failWith = 'ENOSPC'
  v5.send({ cmd: 'publish', topic: 'f', payload: Buffer.from('x'), qos: 1, messageId: 1, retain: true, dup: false })
  const refused = await v5.next()
  assert.deepEqual([refused.cmd, (refused as { reasonCode?: number }).reasonCode], ['puback', 0x80])
  v5.send({ cmd: 'publish', topic: 'f', payload: Buffer.from('y'), qos: 2, messageId: 2, retain: false, dup: false })
  const refused2 = await v5.next()
  assert.deepEqual([refused2.cmd, (refused2 as { reasonCode?: number }).reasonCode], ['pubrec', 0x80])
  const v3 = await Peer.connected(t, a.port, 4, 'three')
  v3.send({ cmd: 'publish', topic: 'f', payload: Buffer.from('z'), qos: 1, messageId: 1, retain: false, dup: false })
  assert.deepEqual(await v3.closedWithin(), [], 'a v3 client is disconnected, not acknowledged')
  const errors = a.logs.filter(([, line]) => line.includes('unable to write the persistence file'))
  assert.equal(errors.length, 1, 'one log line for the episode')
  assert.match(errors[0]![1], /ENOSPC/)

  a.io.failWith = undefined
  clock.advance(1000) // the retry: a fresh snapshot file
  await until(() => a.logs.some(([, line]) => line.includes('can be written again')))
  v5.send({ cmd: 'publish', topic: 'f', payload: Buffer.from('ok'), qos: 1, messageId: 3, retain: true, dup: false })
  const ok = await v5.next()
  assert.deepEqual([ok.cmd, (ok as { reasonCode?: number }).reasonCode ?? 0], ['puback', 0x10])
  await crash(a)
  const b = await durable(t, dir, { clock })
  const late = await Peer.connected(t, b.port, 4, 'late')
  late.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'f', qos: 1 }] })
  await late.next()
  assert.equal(text(await late.next()), 'ok')
})

test('message expiry and a delayed will keep counting down across a restart [MQTT-3.3.2-6], [MQTT-3.1.3-9]', async (t) => {
  const dir = storeDir(t)
  const clock = new ManualClock()
  clock.advance(5_000_000)
  const a = await durable(t, dir, { clock })
  const sub = await subscribed(t, a.port, 5, 'exp', 'm/#', 1)
  sub.socket.destroy()
  const dying = await Peer.connected(t, a.port, 5, 'dying', {
    clean: false, properties: { sessionExpiryInterval: 3600 },
    will: { topic: 'm/will', payload: Buffer.from('gone'), qos: 1, retain: false, properties: { willDelayInterval: 60 } },
  })
  dying.socket.destroy()
  await until(() => a.broker.stats.clientsConnected === 0)
  a.broker.publish({ topic: 'm/short', payload: Buffer.from('s'), qos: 1, properties: { messageExpiryInterval: 5 } })
  a.broker.publish({ topic: 'm/long', payload: Buffer.from('l'), qos: 1, properties: { messageExpiryInterval: 100 } })
  await a.broker.flush()
  await crash(a)

  clock.advance(30_000) // down for 30 s
  const b = await durable(t, dir, { clock })
  const again = await Peer.connected(t, b.port, 5, 'exp', persistent(5))
  const p = await again.next() as PublishPacket
  assert.deepEqual([p.topic, p.properties?.messageExpiryInterval], ['m/long', 70])
  again.send({ cmd: 'puback', messageId: p.messageId! })
  await assert.rejects(again.next(100), /no packet/, 'the expired message is gone')
  clock.advance(29_999)
  await assert.rejects(again.next(50), /no packet/)
  clock.advance(1) // 60 s after the abnormal end
  const will = await again.next() as PublishPacket
  assert.deepEqual([will.topic, text(will)], ['m/will', 'gone'])
})

test('a torn last write is cut off and reported; a damaged middle keeps the file aside and starts with what came before', async (t) => {
  const dir = storeDir(t)
  const a = await durable(t, dir)
  a.broker.publish({ topic: 'keep/1', payload: Buffer.from('one'), qos: 1, retain: true })
  await a.broker.flush()
  a.broker.publish({ topic: 'keep/2', payload: Buffer.from('two'), qos: 1, retain: true })
  await a.broker.close()
  const written = readFileSync(a.file)
  const whole = written.subarray(0, scanFile(written, parseRecords).end) // its frames, without the zeros written ahead

  writeFileSync(a.file, Buffer.concat([whole, Buffer.from([0x52, 0x46, 0x73, 0x74, 9, 9])])) // half a frame more
  const b = await durable(t, dir)
  assert.ok(b.logs.some(([l, line]) => l === 'notice' && /cut off an incomplete last write at offset \d+ \(6 bytes/.test(line)), JSON.stringify(b.logs))
  assert.equal(b.broker.stats.retainedCount, 2)
  await b.broker.close()
  assert.deepEqual(readFileSync(b.file).subarray(0, whole.length), whole)
  await b.broker.close()
  writeFileSync(a.file, Buffer.concat([whole, Buffer.from([0x52, 0x46, 0x73, 0x74, 9, 9]), Buffer.alloc(64 * 1024)])) // torn inside the zeros written ahead
  const b2 = await durable(t, dir)
  assert.ok(b2.logs.some(([l, line]) => l === 'notice' && /cut off an incomplete last write at offset \d+ \(6 bytes/.test(line)), JSON.stringify(b2.logs))
  assert.equal(b2.broker.stats.retainedCount, 2)
  await b2.broker.close()

  const damaged = Buffer.from(readFileSync(b.file))
  damaged[40] = damaged[40]! ^ 0xff // inside the first frame: the frames after it are still valid
  writeFileSync(b.file, damaged)
  const c = await durable(t, dir)
  const line = c.logs.find(([l]) => l === 'error')?.[1] ?? ''
  assert.match(line, /is damaged at offset 16; kept it as .*tsbroker\.db\.damaged-\d{8}T\d{6}Z and started with the 0 writes before the damage/)
  const aside = readdirSync(dir).filter((n) => n.includes('.damaged-'))
  assert.equal(aside.length, 1)
  assert.deepEqual(readFileSync(join(dir, aside[0]!)), damaged, 'the damaged file is kept as it was')
  assert.ok(existsSync(c.file), 'a fresh store file was written')
})

test('a mosquitto persistence file is never read or replaced', async (t) => {
  const dir = storeDir(t)
  const file = join(dir, 'mosquitto.db')
  const mosquitto = Buffer.concat([Buffer.from([0x00, 0xb5, 0x00]), Buffer.from('mosquitto db'), Buffer.alloc(64, 1)])
  writeFileSync(file, mosquitto)
  assert.throws(() => createBroker({ persistence: { file } }), /mosquitto persistence file, which tsbroker cannot read; point persistence_file elsewhere/)
  assert.deepEqual(readFileSync(file), mosquitto)
})
