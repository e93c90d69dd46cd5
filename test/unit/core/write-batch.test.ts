// A connection's write batch (src/core/write-batch.ts): one stream write per tick, large payloads never
// copied, order kept, a slow reader's queue not copied into.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { SPLIT_PAYLOAD_BYTES } from '../../../src/codec/index.js'
import { BEHIND_BYTES, whileReading, WriteBatch } from '../../../src/core/write-batch.js'

/** A stream that records each write it gets (a vectored write as its chunks, marked). */
function recorder(): { stream: Writable; writes: Buffer[][] } {
  const writes: Buffer[][] = []
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) { writes.push([chunk]); cb() },
    writev(chunks, cb) { writes.push(chunks.map((c) => c.chunk as Buffer)); cb() },
  })
  return { stream, writes }
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve))

test('small packets of one tick go out as one write, in order, at the end of the tick', async () => {
  const { stream, writes } = recorder()
  const batch = new WriteBatch(stream)
  for (let i = 0; i < 100; i++) batch.add(Buffer.from([0x30, 2, 0, i]))
  assert.equal(batch.length, 400)
  assert.equal(writes.length, 0)
  await tick()
  assert.equal(writes.length, 1)
  const all = Buffer.concat(writes[0]!)
  assert.equal(all.length, 400)
  for (let i = 0; i < 100; i++) assert.equal(all[i * 4 + 3], i)
  assert.equal(batch.length, 0)
})

test('a large payload keeps its own buffer (not copied) between the small packets around it', async () => {
  const { stream, writes } = recorder()
  const batch = new WriteBatch(stream)
  const payload = Buffer.alloc(SPLIT_PAYLOAD_BYTES, 7)
  batch.add(Buffer.from([1, 2]))
  batch.add(payload)
  batch.add(Buffer.from([3]))
  await tick()
  const chunks = writes.flat()
  assert.equal(Buffer.concat(chunks).length, 3 + payload.length)
  assert.ok(chunks.includes(payload), 'the payload buffer itself was written')
  assert.deepEqual([...chunks[0]!], [1, 2])
  assert.deepEqual([...chunks.at(-1)!], [3])
})

test('bytes encoded in place with reserve/commit keep their place', async () => {
  const { stream, writes } = recorder()
  const batch = new WriteBatch(stream)
  batch.add(Buffer.from([9]))
  const buf = batch.reserve(3)
  buf[batch.at] = 1; buf[batch.at + 1] = 2; buf[batch.at + 2] = 3
  batch.commit(batch.at + 3)
  batch.add(Buffer.from([4]))
  await tick()
  assert.deepEqual([...Buffer.concat(writes.flat())], [9, 1, 2, 3, 4])
})

test('inside a read callback the batch is written when the callback returns, not a tick later', () => {
  const { stream, writes } = recorder()
  const batch = new WriteBatch(stream)
  whileReading(() => {
    batch.add(Buffer.from([1]))
    batch.add(Buffer.from([2]))
    assert.equal(writes.length, 0)
  })
  assert.equal(writes.length, 1)
  assert.deepEqual([...Buffer.concat(writes[0]!)], [1, 2])
})

test('for a reader far behind, bytes are queued as they are (one copy shared by many subscribers)', async () => {
  const writes: Buffer[] = []
  let release!: () => void
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _e, cb) { writes.push(chunk); if (writes.length === 1) release = cb; else cb() },
  })
  const batch = new WriteBatch(stream)
  batch.add(Buffer.alloc(BEHIND_BYTES)) // taken by the stream and never acknowledged: the reader is behind
  await tick()
  assert.ok(batch.behind)
  const shared = Buffer.from([0x30, 2, 0, 0])
  batch.add(shared)
  await tick()
  release()
  await tick()
  assert.ok(writes.includes(shared), 'the shared bytes themselves were queued')
})

test('nothing is written to a destroyed stream', async () => {
  const { stream, writes } = recorder()
  const batch = new WriteBatch(stream)
  batch.add(Buffer.from([1]))
  stream.destroy()
  await tick()
  assert.equal(writes.length, 0)
})
