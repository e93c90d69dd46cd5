// Exact counts per subscriber: deliveries, distinct messages, duplicates; and what each must receive.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { expectedFor, ReceiveTracker } from '../../../src/cli/bench/receive-tracker.js'

describe('ReceiveTracker', () => {
  it('counts distinct messages and duplicates per publisher and sequence', () => {
    const t = new ReceiveTracker()
    assert.equal(t.add(0, 0), true)
    assert.equal(t.add(0, 1), true)
    assert.equal(t.add(1, 0), true) // same sequence, other publisher: a new message
    assert.equal(t.add(0, 1), false)
    assert.deepEqual(t.counts(), { received: 4, unique: 3, duplicates: 1 })
  })
  it('large and sparse sequence numbers (the bitmap grows)', () => {
    const t = new ReceiveTracker()
    for (const seq of [100_000, 7, 100_000, 2_000_001]) t.add(3, seq)
    assert.deepEqual(t.counts(), { received: 4, unique: 3, duplicates: 1 })
  })
})

describe('expectedFor', () => {
  const topics = ['bench/0', 'bench/1', 'other/2']
  const sent = [10, 20, 30]
  it('every message of every publisher whose topic the filter matches', () => {
    assert.equal(expectedFor('bench/+', topics, sent), 30)
    assert.equal(expectedFor('#', topics, sent), 60)
    assert.equal(expectedFor('bench/1', topics, sent), 20)
    assert.equal(expectedFor('nothing', topics, sent), 0)
  })
})
