// The 24-byte stamp at the start of every benchmark payload.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HEADER_BYTES, newPayload, readStamp, writeStamp } from '../../../src/cli/bench/payload-header.js'

describe('payload header', () => {
  it('round-trips run, publisher, sequence and a sub-millisecond send time', () => {
    const p = newPayload(64)
    const stamp = { run: 0xfedcba98, publisher: 41, seq: 4_000_000_000, sentAt: 1764640000123.456 }
    writeStamp(p, stamp)
    assert.equal(p.length, 64)
    assert.deepEqual(readStamp(p), stamp)
  })
  it('fits exactly in the minimum size; a smaller payload is refused', () => {
    assert.equal(HEADER_BYTES, 24)
    const p = newPayload(HEADER_BYTES)
    writeStamp(p, { run: 1, publisher: 2, seq: 3, sentAt: 4 })
    assert.deepEqual(readStamp(p), { run: 1, publisher: 2, seq: 3, sentAt: 4 })
    assert.throws(() => newPayload(HEADER_BYTES - 1), RangeError)
  })
  it('anything else is not a stamp: too short, other bytes, an empty payload', () => {
    assert.equal(readStamp(Buffer.alloc(0)), undefined)
    assert.equal(readStamp(Buffer.alloc(10)), undefined)
    assert.equal(readStamp(Buffer.alloc(64, 0x61)), undefined)
  })
  it('the payload is the header, then zeros', () => {
    const p = newPayload(40)
    writeStamp(p, { run: 1, publisher: 1, seq: 1, sentAt: 1 })
    assert.deepEqual([...p.subarray(HEADER_BYTES)], new Array(16).fill(0))
    assert.equal(p.subarray(0, 4).toString('latin1'), 'tsb1')
  })
})
