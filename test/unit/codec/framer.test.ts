// The framer cuts a byte stream into whole packets however it is chunked, and joins a packet that spans
// chunks once (not on every chunk).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PacketFramer } from '../../../src/codec/framer.js'
import { pkt } from '../../helpers/wire.js'

const packets = [
  pkt(0x30, [0, 1, 0x61, ...Buffer.alloc(200, 7)]), // two-byte remaining length
  Buffer.from([0xc0, 0]),
  pkt(0x32, [0, 1, 0x62, 0, 1, ...Buffer.alloc(20_000, 9)]), // three-byte remaining length
  Buffer.from([0xe0, 0]),
  pkt(0x30, [0, 1, 0x63]),
]
const stream = Buffer.concat(packets)

test('any chunking gives back the same packets, byte for byte (seeded cuts)', () => {
  let seed = 0x1234567
  const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n }
  for (let round = 0; round < 300; round++) {
    const f = new PacketFramer()
    const got: Buffer[] = []
    for (let at = 0; at < stream.length;) {
      const size = 1 + rand(round % 3 === 0 ? 4 : 3000)
      got.push(...f.push(stream.subarray(at, at + size)))
      at += size
    }
    assert.deepEqual(got.map((b) => b.toString('hex')), packets.map((b) => b.toString('hex')), `round ${round}`)
  }
})

test('next() returns complete packets back to back in one buffer, with their ends', () => {
  const f = new PacketFramer()
  const { bytes, ends } = f.next(stream.subarray(0, 220))
  assert.deepEqual(ends, [packets[0]!.length, packets[0]!.length + 2])
  assert.equal(bytes.length, ends[1])
  assert.deepEqual(f.next(stream.subarray(220)).ends.length, 3)
})

test('a remaining length longer than four bytes is refused [MQTT-1.5.5-1]; an incomplete header waits', () => {
  assert.throws(() => new PacketFramer().push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])))
  const f = new PacketFramer()
  assert.deepEqual(f.push(Buffer.from([0x30])), [])
  assert.deepEqual(f.push(Buffer.from([0x80])), [])
  assert.deepEqual(f.push(Buffer.from([0x01])), []) // remaining length 128: header known now
  assert.equal(f.push(Buffer.alloc(128)).length, 1)
})
