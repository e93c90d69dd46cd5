// Rate limit, connection ramp and the publish loop, on a manual clock: nothing here sleeps.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Pacer, rampOffsetMs, shareOf } from '../../../src/cli/bench/pacing.js'
import { doubling } from '../../../src/cli/bench/check.js'
import { publishLoop, type BenchClock } from '../../../src/cli/bench/publish-loop.js'

/** Time moves only in sleep(): each sleep jumps the clock by its length. */
class JumpClock implements BenchClock {
  t = 1000
  sleeps: number[] = []
  now(): number { return this.t }
  yields = 0
  sleep(ms: number): Promise<void> { this.sleeps.push(ms); this.t += Math.max(ms, 0.001); return Promise.resolve() }
  yieldToIo(): Promise<void> { this.yields++; return Promise.resolve() }
}

describe('Pacer', () => {
  it('message k is due at start + k / rate, from the start (no drift)', () => {
    const p = new Pacer(100, 5000)
    assert.equal(p.dueAt(0), 5000)
    assert.equal(p.dueAt(250), 7500)
    assert.equal(p.dueCount(4999), 0)
    assert.equal(p.dueCount(5000), 1)
    assert.equal(p.dueCount(5095), 10)
    assert.equal(p.waitFor(10, 5095), 5)
    assert.equal(p.waitFor(3, 6000), 0)
  })
  it('a fractional rate: 0.5 msg/s is one message every 2 s', () => {
    const p = new Pacer(0.5, 0)
    assert.equal(p.dueAt(3), 6000)
    assert.equal(p.dueCount(5999), 3)
  })
})

describe('ramp and shares', () => {
  it('connection i opens i / rate seconds after the start; no ramp opens all at once', () => {
    assert.equal(rampOffsetMs(0, 10), 0)
    assert.equal(rampOffsetMs(25, 10), 2500)
    assert.equal(rampOffsetMs(25, undefined), 0)
  })
  it('shareOf splits a total exactly', () => {
    assert.deepEqual([0, 1, 2].map((i) => shareOf(10, 3, i)), [4, 3, 3])
    assert.equal([0, 1, 2, 3].reduce((a, i) => a + shareOf(1001, 4, i), 0), 1001)
  })
})

describe('publishLoop', () => {
  it('stops at the count; as fast as possible never sleeps; keeps at most `window` open', async () => {
    const clock = new JumpClock()
    let open = 0
    let most = 0
    const seqs: number[] = []
    const r = await publishLoop({ startAt: clock.now(), count: 100, window: 8 }, clock, async (seq) => {
      seqs.push(seq)
      most = Math.max(most, ++open)
      await Promise.resolve()
      open--
    })
    assert.equal(r.issued, 100)
    assert.equal(r.failed, 0)
    assert.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => i))
    assert.ok(most <= 8, `at most 8 open, saw ${most}`)
    assert.deepEqual(clock.sleeps, [])
  })
  it('unpaced, it yields to I/O every 256 messages (so this thread\'s subscribers are read)', async () => {
    const clock = new JumpClock()
    await publishLoop({ startAt: clock.now(), count: 1024, window: 2048 }, clock, () => Promise.resolve())
    assert.equal(clock.yields, 4)
  })
  it('at 50 msg/s for 1 s: 50 messages, each sent no earlier than it is due', async () => {
    const clock = new JumpClock()
    const start = clock.now()
    const at: number[] = []
    const r = await publishLoop({ startAt: start, endAt: start + 1000, rate: 50, window: 4 }, clock, (seq) => { at.push(clock.now() - start); void seq; return Promise.resolve() })
    assert.equal(r.issued, 50)
    at.forEach((t, k) => assert.ok(t >= k * 20 - 1e-9, `message ${k} at ${t} ms`))
    assert.ok(clock.sleeps.every((ms) => ms <= 20 + 1e-9))
  })
  it('the end time stops an unbounded loop; failures are counted, not thrown', async () => {
    const clock = new JumpClock()
    const start = clock.now()
    const r = await publishLoop({ startAt: start, endAt: start + 100, rate: 1000, window: 2 }, clock,
      (seq) => (seq % 10 === 0 ? Promise.reject(new Error('lost')) : Promise.resolve()))
    assert.equal(r.issued, 100)
    assert.equal(r.failed, 10)
  })
  it('stopped() ends it early (a signal)', async () => {
    const clock = new JumpClock()
    let n = 0
    const r = await publishLoop({ startAt: clock.now(), count: 1000, window: 1 }, clock, () => { n++; return Promise.resolve() }, () => n >= 7)
    assert.equal(r.issued, 7)
  })
  it('a closed connection: the open publishes fail (each heard of), nothing more is issued', async () => {
    const clock = new JumpClock()
    let closed = false
    const open: ((e: Error) => void)[] = []
    let heard = 0
    const r = await publishLoop({ startAt: clock.now(), endAt: clock.now() + 60_000, window: 8 }, clock, (seq) => {
      if (closed) return Promise.reject(new Error('closed'))
      if (seq === 10) { closed = true; for (const fail of open.splice(0)) fail(new Error('lost')); return Promise.reject(new Error('lost')) }
      return new Promise((resolve, reject) => { if (seq % 2) resolve(undefined); else open.push(reject) })
    }, () => closed, () => { heard++ })
    assert.equal(r.issued, 11)
    assert.equal(r.failed, 6) // 0, 2, 4, 6, 8 were open, 10 failed at once
    assert.equal(heard, 6)
  })
  it('sendMany: the messages due at one moment go in one call, in order, within the window; failures counted', async () => {
    const clock = new JumpClock()
    const start = clock.now()
    const calls: Array<[number, number, number]> = []
    let heard = 0
    const r = await publishLoop({ startAt: start, endAt: start + 100, rate: 1000, window: 4 }, clock, () => Promise.reject(new Error('unused')),
      () => false, () => { heard++ }, (first, count) => {
        calls.push([first, count, clock.now() - start])
        return Promise.resolve(first === 0 ? 1 : 0)
      })
    assert.equal(r.issued, 100)
    assert.equal(r.failed, 1)
    assert.equal(heard, 1)
    let next = 0
    for (const [first, count, at] of calls) {
      assert.equal(first, next, 'consecutive, in order')
      assert.ok(count >= 1 && count <= 4, `within the window: ${count}`)
      assert.ok(first + count - 1 <= Math.floor(at) + 1e-9, `message ${first + count - 1} sent at ${at} ms, not before it is due`)
      next += count
    }
  })
  it('sendMany unpaced: up to the next clock reading per call, the count exact, a rejection fails them all', async () => {
    const clock = new JumpClock()
    const counts: number[] = []
    const r = await publishLoop({ startAt: clock.now(), count: 40, window: 512 }, clock, () => Promise.reject(new Error('unused')),
      () => false, () => {}, (first, count) => { counts.push(count); return first === 16 ? Promise.reject(new Error('lost')) : Promise.resolve(0) })
    assert.deepEqual(counts, [16, 16, 8])
    assert.deepEqual([r.issued, r.failed], [40, 16])
  })
})

describe('doubling (the --check size probes)', () => {
  it('doubles while it works, tries the cap last, reports the first failure', async () => {
    const clock = new JumpClock()
    const tried: number[] = []
    const ok = await doubling(1024, 10_000, clock.now() + 1000, clock, (n) => { tried.push(n); return Promise.resolve(true) })
    assert.deepEqual(tried, [1024, 2048, 4096, 8192, 10_000])
    assert.deepEqual(ok, { largestOk: 10_000, firstFailed: null, cap: 10_000 })
    const failed = await doubling(64, 65535, clock.now() + 1000, clock, (n) => Promise.resolve(n < 1000))
    assert.deepEqual(failed, { largestOk: 512, firstFailed: 1024, cap: 65535 })
  })
  it('stops at the deadline', async () => {
    const clock = new JumpClock()
    const r = await doubling(1, 1 << 30, clock.now() + 30, clock, async () => { await clock.sleep(10); return true })
    assert.deepEqual(r, { largestOk: 4, firstFailed: null, cap: 1 << 30 })
  })
})
