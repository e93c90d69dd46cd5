// Latency percentiles: nearest rank, exact over every sample, merged from several shards.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LatencySamples, percentile, summarize } from '../../../src/cli/bench/latency-stats.js'

describe('latency percentiles', () => {
  it('nearest rank over 1..100: p50 = 50, p95 = 95, p99 = 99, max = 100', () => {
    const s = new LatencySamples(4)
    for (let i = 100; i >= 1; i--) s.add(i) // out of order, and past the initial capacity
    const sum = s.summary()
    assert.deepEqual(sum, { count: 100, min: 1, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 })
  })
  it('one sample is every percentile; none gives zeros', () => {
    assert.deepEqual(summarize(Float64Array.of(7.5)), { count: 1, min: 7.5, mean: 7.5, p50: 7.5, p95: 7.5, p99: 7.5, max: 7.5 })
    assert.deepEqual(summarize(new Float64Array(0)), { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 })
  })
  it('sorts numerically, not as text (10 after 9)', () => {
    assert.equal(percentile(Float64Array.of(1, 2, 9, 10).sort(), 100), 10)
    assert.equal(summarize(Float64Array.of(10, 9, 2, 1)).p50, 2)
  })
  it('always ordered: min <= p50 <= p95 <= p99 <= max, for skewed data', () => {
    const s = new LatencySamples()
    for (let i = 0; i < 1000; i++) s.add(i % 10 === 0 ? 1000 + i : i / 100)
    const x = s.summary()
    assert.ok(x.min <= x.p50 && x.p50 <= x.p95 && x.p95 <= x.p99 && x.p99 <= x.max)
    assert.equal(x.p95, 1490) // rank 950: the 50th of the 100 slow ones (1000, 1010, ...)
  })
  it('merging shards gives the same summary as one collector', () => {
    const one = new LatencySamples()
    const a = new LatencySamples()
    const b = new LatencySamples()
    for (let i = 0; i < 500; i++) { one.add(i); (i % 3 ? a : b).add(i) }
    const merged = new LatencySamples()
    merged.addAll(a.values())
    merged.addAll(b.values())
    assert.deepEqual(merged.summary(), one.summary())
  })
})
