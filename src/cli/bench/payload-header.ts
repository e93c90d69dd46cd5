// The header every tsbench payload starts with: who sent it, its sequence number and when, so a subscriber
// measures end-to-end latency and counts lost and duplicated messages exactly. Fixed 24 bytes, big-endian:
//   0 u32 magic "tsb1" | 4 u32 run id | 8 u32 publisher | 12 u32 sequence | 16 f64 send time (ms, epoch)
// The run id keeps another run's (or a retained) message on the same topic out of this run's counts.
import { BENCH_HEADER_BYTES } from '../options/bench-options.js'

export const HEADER_BYTES = BENCH_HEADER_BYTES
const MAGIC = 0x74736231 // "tsb1"

export interface Stamp { run: number; publisher: number; seq: number; sentAt: number }

/** A zero-filled payload of `size` bytes (at least the header) for one publisher to stamp and reuse. */
export function newPayload(size: number): Buffer {
  if (size < HEADER_BYTES) throw new RangeError(`a payload holds at least the ${HEADER_BYTES}-byte header`)
  const b = Buffer.alloc(size)
  b.writeUInt32BE(MAGIC, 0)
  return b
}

export function writeStamp(payload: Buffer, s: Stamp): void {
  payload.writeUInt32BE(MAGIC, 0)
  payload.writeUInt32BE(s.run >>> 0, 4)
  payload.writeUInt32BE(s.publisher >>> 0, 8)
  payload.writeUInt32BE(s.seq >>> 0, 12)
  payload.writeDoubleBE(s.sentAt, 16)
}

/** The stamp of a received payload; undefined when it is not a tsbench payload. */
export function readStamp(payload: Buffer): Stamp | undefined {
  if (payload.length < HEADER_BYTES || payload.readUInt32BE(0) !== MAGIC) return undefined
  return { run: payload.readUInt32BE(4), publisher: payload.readUInt32BE(8), seq: payload.readUInt32BE(12), sentAt: payload.readDoubleBE(16) }
}
