// Splits a byte stream into whole MQTT packets (fixed header + remaining length), so a caller can check or
// keep each packet's raw bytes next to what mqtt-packet decodes from them. A packet that arrives in many
// chunks is joined once, when it is complete (joining on every chunk would copy a 50 MB payload hundreds
// of times), and complete packets are not copied at all.

import { RC } from './reason-codes.js'
import { PacketError } from './reader.js'

/** Complete packets, back to back in `bytes`; packet i ends at `ends[i]` (and starts where i - 1 ends, or at 0). */
export interface Frames { readonly bytes: Buffer; readonly ends: readonly number[] }

const NONE: Frames = { bytes: Buffer.alloc(0), ends: [] }

export class PacketFramer {
  /** `maxPacketSize` (0 = none): a packet announcing more is refused as soon as its header is read. */
  constructor(private readonly maxPacketSize = 0) {}

  /** Bytes of an incomplete packet, in arrival order. */
  #parts: Buffer[] = []
  #length = 0
  /** Size of that packet once its header is known, else 0. */
  #need = 0

  /** Add `chunk`; returns the packets it completes. Throws on a remaining length over four bytes. */
  next(chunk: Buffer): Frames {
    let buf = chunk
    if (this.#parts.length > 0) {
      this.#parts.push(chunk)
      this.#length += chunk.length
      if (this.#need === 0) this.#need = this.#checked(packetSize(headerOf(this.#parts))) ?? 0
      if (this.#need === 0 || this.#length < this.#need) return NONE
      buf = Buffer.concat(this.#parts, this.#length)
      this.#parts = []
      this.#length = 0
      this.#need = 0
    }
    const ends: number[] = []
    let at = 0
    for (;;) {
      const size = this.#checked(packetSize(buf, at))
      if (size === undefined || at + size > buf.length) {
        if (at < buf.length) {
          this.#parts = [buf.subarray(at)]
          this.#length = buf.length - at
          this.#need = size ?? 0
        }
        break
      }
      at += size
      ends.push(at)
    }
    return ends.length === 0 ? NONE : { bytes: buf.subarray(0, at), ends }
  }

  #checked(size: number | undefined): number | undefined {
    if (size !== undefined && this.maxPacketSize > 0 && size > this.maxPacketSize) {
      throw new PacketError(RC.PACKET_TOO_LARGE, `packet of ${size} bytes, over the maximum packet size ${this.maxPacketSize}`)
    }
    return size
  }

  /** The complete packets in `chunk` (plus what was buffered), each as its own view. */
  push(chunk: Buffer): Buffer[] {
    const { bytes, ends } = this.next(chunk)
    return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end))
  }
}

/** The first (up to) five bytes of the pending parts: enough for any fixed header. */
function headerOf(parts: readonly Buffer[]): Buffer {
  if (parts[0]!.length >= 5) return parts[0]!
  const head: number[] = []
  for (const part of parts) for (let i = 0; i < part.length && head.length < 5; i++) head.push(part[i]!)
  return Buffer.from(head)
}

/** Whole size of the packet at `buf[at]`, or undefined while its header is incomplete. */
function packetSize(buf: Buffer, at = 0): number | undefined {
  let length = 0
  let multiplier = 1
  for (let i = 1; i <= 4; i++) {
    const b = buf[at + i]
    if (b === undefined) return undefined
    length += (b & 0x7f) * multiplier
    if ((b & 0x80) === 0) return 1 + i + length
    multiplier *= 128
  }
  throw new Error('Invalid variable byte integer') // [MQTT-1.5.5-1]: at most four bytes
}
