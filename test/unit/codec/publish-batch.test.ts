// PublishBatch writes exactly encode()'s bytes for a PUBLISH without properties, back to back, and never
// writes into bytes it has handed out.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encode, type ProtocolVersion, type PublishPacket } from '../../../src/codec/index.js'
import { PublishBatch } from '../../../src/codec/publish-batch.js'

const packet = (topic: string, payload: Buffer, retain: boolean): PublishPacket => ({ cmd: 'publish', topic, payload, qos: 0, retain, dup: false })

test('each packet is what encode() writes: v3/v4/v5, retain, UTF-8 topics, payloads across the varint steps', () => {
  const sizes = [0, 1, 120, 121, 122, 127, 128, 16_370, 16_380, 16_384, 70_000]
  for (const version of [3, 4, 5] as ProtocolVersion[]) {
    for (const retain of [false, true]) {
      for (const n of sizes) {
        const b = new PublishBatch(version)
        const payload = Buffer.alloc(n, n & 0xff)
        const topic = b.topicBytes('sensör/€')
        b.add(topic, payload, retain)
        const expected = encode(packet('sensör/€', payload, retain), version)
        assert.deepEqual(b.take(), expected, `v${version} retain ${retain} ${n} bytes`)
        assert.equal(b.size(topic, payload), expected.length)
      }
    }
  }
})

test('the packets of a tick come out as one buffer, in order; take() then starts afresh', () => {
  const b = new PublishBatch(4)
  assert.equal(b.take(), undefined)
  const t = b.topicBytes('a/b')
  const payloads = ['1', '22', '', '4444'].map((s) => Buffer.from(s))
  for (const p of payloads) b.add(t, p, false)
  assert.equal(b.pending, payloads.reduce((n, p) => n + encode(packet('a/b', p, false), 4).length, 0))
  assert.deepEqual(b.take(), Buffer.concat(payloads.map((p) => encode(packet('a/b', p, false), 4))))
  assert.equal(b.pending, 0)
  assert.equal(b.take(), undefined)
  b.add(t, Buffer.from('x'), true)
  assert.deepEqual(b.take(), encode(packet('a/b', Buffer.from('x'), true), 4))
})

test('QoS 1 and 2: the packet id and the DUP flag, as encode() writes them', () => {
  for (const version of [3, 4, 5] as ProtocolVersion[]) {
    for (const qos of [1, 2] as const) {
      for (const [messageId, dup, n] of [[1, false, 0], [0x1234, true, 5], [65535, false, 130], [258, true, 16_380]] as const) {
        const b = new PublishBatch(version)
        const payload = Buffer.alloc(n, 7)
        const topic = b.topicBytes('q/é')
        b.add(topic, payload, true, qos, messageId, dup)
        const expected = encode({ cmd: 'publish', topic: 'q/é', payload, qos, retain: true, dup, messageId }, version)
        assert.deepEqual(b.take(), expected, `v${version} q${qos} id ${messageId} dup ${dup} ${n} bytes`)
        assert.equal(b.size(topic, payload, qos), expected.length)
      }
    }
  }
})

test('bytes handed out stay as they were while the batch goes on (and grows past its buffer)', () => {
  const b = new PublishBatch(5)
  const t = b.topicBytes('t')
  const taken: Array<[Buffer, Buffer]> = []
  for (let round = 0; round < 50; round++) {
    const payloads = Array.from({ length: 1 + (round % 7) * 300 }, (_, i) => Buffer.from(`${round}:${i}`))
    for (const p of payloads) b.add(t, p, false)
    const bytes = b.take()!
    taken.push([bytes, Buffer.from(bytes)])
  }
  for (const [view, copy] of taken) assert.deepEqual(view, copy)
  // the payload may change after add(): it was copied
  const p = Buffer.from('abc')
  b.add(t, p, false)
  p.fill(0)
  assert.deepEqual(b.take(), encode(packet('t', Buffer.from('abc'), false), 5))
})

test('topicBytes keeps the bytes of the last topic and follows a new one', () => {
  const b = new PublishBatch(4)
  const first = b.topicBytes('x/y')
  assert.equal(b.topicBytes('x/y'), first)
  assert.deepEqual(b.topicBytes('zé'), Buffer.from('zé'))
})
