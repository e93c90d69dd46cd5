// Flow control: a fast QoS 1 publisher is held while a connected subscriber's queue is past the high-water
// mark (maxQueuedMessages 50 → 25), instead of overrunning the queue; a subscriber that never acknowledges
// holds it at most the bound (500 ms), after which max_queued_messages drops apply as in mosquitto.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { PublishPacket } from '../../../src/codec/index.js'
import { startBroker, until } from '../../helpers/broker-start.js'
import { Peer } from '../../helpers/broker-peer.js'

const OPTS = { maxQueuedMessages: 50, maxInflightMessages: 2 }
const HOLD_BOUND_MS = 500

async function subscriber(t: TestContext, port: number, id: string, topic: string): Promise<Peer> {
  const sub = await Peer.connected(t, port, 4, id)
  sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 1 }] })
  assert.equal((await sub.next()).cmd, 'suback')
  return sub
}

/**
 * Publish `count` QoS 1 messages on `topic` with up to `window` unacknowledged; resolves with the time
 * of each PUBACK (ms since start). `onAck(n)` runs after the n-th PUBACK.
 */
async function publishAll(pub: Peer, topic: string, count: number, window: number, onAck?: (n: number) => void | Promise<void>): Promise<number[]> {
  const start = Date.now()
  const ackTimes: number[] = []
  let sent = 0
  while (ackTimes.length < count) {
    while (sent < count && sent - ackTimes.length < window) {
      sent++
      pub.send({ cmd: 'publish', topic, payload: Buffer.from(String(sent)), qos: 1, retain: false, dup: false, messageId: sent })
    }
    const ack = await pub.next(HOLD_BOUND_MS * 4)
    assert.equal(ack.cmd, 'puback')
    ackTimes.push(Date.now() - start)
    await onAck?.(ackTimes.length)
  }
  return ackTimes
}

function maxGap(times: number[]): number {
  let gap = 0
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!)
  return gap
}

test('a publisher faster than a slowly acknowledging subscriber is throttled: all 500 arrive in order, none dropped', async (t) => {
  const { broker, port } = await startBroker(t, OPTS)
  const sub = await subscriber(t, port, 'slow-sub', 'fc')
  const pub = await Peer.connected(t, port, 4, 'fast-pub')
  const received: string[] = []
  const consumed = (async () => {
    while (received.length < 500) {
      const p = await sub.next(HOLD_BOUND_MS * 4)
      assert.equal(p.cmd, 'publish')
      const m = p as PublishPacket
      received.push(m.payload.toString())
      await new Promise((r) => setTimeout(r, 1)) // the slow part: about a millisecond per acknowledgement
      sub.send({ cmd: 'puback', messageId: m.messageId! })
    }
  })()
  await publishAll(pub, 'fc', 500, 40)
  await consumed
  assert.deepEqual(received, Array.from({ length: 500 }, (_, i) => String(i + 1)))
  assert.equal(broker.stats.publishDropped, 0)
  await until(() => broker.stats.storedMessages === 0, 2000, 'the last PUBACK to settle')
})

test('a subscriber that never acknowledges holds a publisher at most the bound; then the queue overflows and drops', async (t) => {
  const { broker, port } = await startBroker(t, OPTS)
  const stuck = await subscriber(t, port, 'stuck-sub', 'fc')
  const other = await subscriber(t, port, 'other-sub', 'other')
  const pub = await Peer.connected(t, port, 4, 'pub')
  const acks = await publishAll(pub, 'fc', 200, 40)
  const gap = maxGap(acks)
  assert.ok(gap >= HOLD_BOUND_MS - 50, `the publisher was held (longest PUBACK gap ${gap} ms)`)
  assert.ok(gap < HOLD_BOUND_MS * 3, `held at most about the bound (longest PUBACK gap ${gap} ms)`)
  // 2 in the subscriber's window + 50 queued; the rest is dropped and counted
  assert.equal(broker.stats.publishDropped, 200 - 2 - 50)
  let publishes = 0
  for (const p of stuck.packets) if (p.cmd === 'publish') publishes++
  assert.equal(publishes, 2)
  // the publisher is still served, at once: the stalled subscriber no longer holds anyone
  const t0 = Date.now()
  pub.send({ cmd: 'publish', topic: 'fc', payload: Buffer.from('more'), qos: 1, retain: false, dup: false, messageId: 1 })
  pub.send({ cmd: 'publish', topic: 'other', payload: Buffer.from('hello'), qos: 1, retain: false, dup: false, messageId: 2 })
  assert.equal((await pub.next()).cmd, 'puback')
  assert.equal((await pub.next()).cmd, 'puback')
  assert.ok(Date.now() - t0 < HOLD_BOUND_MS - 100, 'not held again')
  const got = await other.next()
  assert.equal(got.cmd, 'publish')
  assert.equal((got as PublishPacket).payload.toString(), 'hello')
})

test('a held publisher is released as soon as the subscriber it waits on disconnects', async (t) => {
  const { broker, port } = await startBroker(t, OPTS)
  const stuck = await subscriber(t, port, 'leaving-sub', 'fc')
  const pub = await Peer.connected(t, port, 4, 'pub')
  let destroyedAt = 0
  let releasedAfter = Infinity
  await publishAll(pub, 'fc', 100, 40, async (n) => {
    // 2 in flight + 25 queued reach the high-water mark: the 27th PUBACK is the last before the hold
    if (n === 27) {
      await assert.rejects(pub.next(100), /no packet/, 'the publisher is held')
      stuck.socket.destroy()
      destroyedAt = Date.now()
    } else if (n === 28) releasedAfter = Date.now() - destroyedAt
  })
  assert.ok(releasedAfter < HOLD_BOUND_MS - 150, `released by the disconnect, not the bound (${releasedAfter} ms)`)
  assert.equal(broker.stats.publishDropped, 0)
})

test('a subscriber draining to the low-water mark releases the publisher before the bound', async (t) => {
  const { broker, port } = await startBroker(t, OPTS)
  const sub = await subscriber(t, port, 'late-sub', 'fc')
  const pub = await Peer.connected(t, port, 4, 'pub')
  let draining: Promise<void> | undefined
  const acks = await publishAll(pub, 'fc', 60, 40, (n) => {
    if (n !== 27) return
    // the hold began; now acknowledge promptly, so the queue drains to 12 and releases the publisher
    draining = (async () => {
      for (let acked = 0; acked < 60; acked++) {
        const p = await sub.next(HOLD_BOUND_MS * 4)
        assert.equal(p.cmd, 'publish')
        sub.send({ cmd: 'puback', messageId: (p as PublishPacket).messageId! })
      }
    })()
  })
  await draining
  assert.ok(maxGap(acks) < HOLD_BOUND_MS - 150, `released on drain (longest PUBACK gap ${maxGap(acks)} ms)`)
  assert.equal(broker.stats.publishDropped, 0)
})

test('what a held publisher sent before closing is still processed: its PUBLISHes are routed and its DISCONNECT drops the will', async (t) => {
  const { broker, port, logs } = await startBroker(t, OPTS)
  const stuck = await subscriber(t, port, 'stuck-sub', 'fc')
  const willSub = await subscriber(t, port, 'will-sub', 'will')
  const pub = await Peer.connected(t, port, 4, 'leaving-pub', { will: { topic: 'will', payload: Buffer.from('gone'), qos: 0, retain: false } })
  for (let id = 1; id <= 40; id++) pub.send({ cmd: 'publish', topic: 'fc', payload: Buffer.from(String(id)), qos: 1, retain: false, dup: false, messageId: id })
  for (let n = 1; n <= 27; n++) assert.equal((await pub.next()).cmd, 'puback')
  await assert.rejects(pub.next(100), /no packet/, 'the publisher is held')
  pub.send({ cmd: 'disconnect' })
  pub.socket.end()
  await until(() => logs.some(([, line]) => line === 'Client leaving-pub disconnected.'), 2000, 'the DISCONNECT')
  await until(() => broker.stats.clientsConnected === 2, 2000, 'the publisher to be gone')
  assert.equal(broker.stats.storedMessages, 40) // 2 sent to the stuck subscriber + 38 queued: none lost
  assert.equal(broker.stats.publishDropped, 0)
  await assert.rejects(willSub.next(200), /no packet/, 'no will after a DISCONNECT')
  assert.ok(stuck.packets.length > 0)
})
