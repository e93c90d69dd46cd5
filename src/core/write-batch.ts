// What a connection sends in one tick, written to its stream as one buffer when the tick ends. A stream write
// per packet costs a write request, a slot in the stream's buffer and (once the kernel is slow) an entry kept
// alive until it drains; at 300k messages/s those are most of the broker's garbage. Here small packets are
// copied (or encoded, see reserve()) into a buffer sized from the previous tick, and a large payload (a
// PUBLISH written as [header, payload], codec/encode.ts) keeps its own write, so it is never copied.
import type { Writable } from 'node:stream'
import { SPLIT_PAYLOAD_BYTES } from '../codec/index.js'

/** Smallest and largest buffer a tick's bytes are gathered in (a busier tick fills several). */
const MIN_SLAB = 64
const MAX_SLAB = 64 * 1024
/** Buffer.allocUnsafe takes buffers up to this size from Node's shared pool (no memory of their own). */
const POOLED = Buffer.poolSize >>> 1
/**
 * Past this many bytes waiting in the stream (a reader that is behind), bytes are queued as they are, not
 * copied: a QoS 0 PUBLISH encoded once for many subscribers then stays one buffer however many of them lag.
 */
export const BEHIND_BYTES = 64 * 1024

/** Batches with bytes waiting, flushed together: at the end of the read callback that filled them, else on the next tick. */
let dirty: WriteBatch[] = []
/** Read callbacks running (a write inside one needs no tick of its own: the callback's end flushes). */
let reading = 0
let tickQueued = false

function flushDirty(): void {
  tickQueued = false
  while (dirty.length > 0) {
    const list = dirty
    dirty = []
    for (const b of list) b.flush()
  }
}

/**
 * Run `f` (a connection's read callback); what it makes any batch send is written when it returns, without a
 * tick of its own (a PUBLISH in, a PUBLISH out and a PUBACK back: one callback, two writes).
 */
export function whileReading(f: () => void): void {
  reading++
  try {
    f()
  } finally {
    if (--reading === 0) flushDirty()
  }
}

export class WriteBatch {
  /** Finished pieces of this tick, in order: full slabs and large buffers. */
  #parts: Buffer[] = []
  /** The buffer being filled, from `#start` to `at`. */
  #slab: Buffer | undefined
  #start = 0
  at = 0
  #length = 0
  /** Bytes of the previous tick: the size of the next tick's first slab. */
  #hint = MIN_SLAB
  #scheduled = false
  /** A finished piece holds a large buffer (never copied into another). */
  #large = false

  constructor(private readonly stream: Writable) {}

  /** Bytes waiting for the end of the tick. */
  get length(): number { return this.#length }

  /** The stream is behind (see BEHIND_BYTES). */
  get behind(): boolean { return this.stream.writableLength >= BEHIND_BYTES }

  add(bytes: Buffer): void {
    if (bytes.length >= SPLIT_PAYLOAD_BYTES || this.behind) {
      this.#endRun()
      this.#parts.push(bytes)
      this.#large = true
      this.#length += bytes.length
      this.#schedule()
      return
    }
    const slab = this.reserve(bytes.length)
    slab.set(bytes, this.at)
    this.commit(this.at + bytes.length)
  }

  /** A buffer with `n` free bytes from `at`: write them, then commit(end). */
  reserve(n: number): Buffer {
    const slab = this.#slab
    if (slab !== undefined && slab.length - this.at >= n) return slab
    this.#endRun()
    const size = Math.max(n, slab === undefined ? this.#hint : Math.min(MAX_SLAB, slab.length * 2))
    const fresh = Buffer.allocUnsafe(size)
    this.#slab = fresh
    this.#start = 0
    this.at = 0
    this.#schedule()
    return fresh
  }

  /** The bytes up to `end` in the reserved buffer are written. */
  commit(end: number): void {
    this.#length += end - this.at
    this.at = end
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    dirty.push(this)
    if (reading === 0 && !tickQueued) {
      tickQueued = true
      process.nextTick(flushDirty)
    }
  }

  /**
   * The slab's filled part becomes a finished piece; the slab is not used again. A slab less than half full
   * is copied out first, so a queue of writes waiting for a slow reader never holds more than twice its bytes.
   */
  #endRun(): void {
    const slab = this.#slab
    if (slab === undefined) return
    this.#slab = undefined
    const used = this.at - this.#start
    if (used === 0) return
    if (slab.length > POOLED && used * 2 < slab.length) this.#parts.push(Buffer.from(slab.subarray(this.#start, this.at)))
    else this.#parts.push(slab.subarray(this.#start, this.at))
  }

  /** Write what waits now (also called before the stream is ended). */
  flush(): void {
    this.#scheduled = false
    this.#endRun()
    const parts = this.#parts
    const length = this.#length
    if (parts.length === 0) return
    const large = this.#large
    this.#parts = []
    this.#length = 0
    this.#large = false
    this.#hint = Math.min(MAX_SLAB, Math.max(MIN_SLAB, length))
    const s = this.stream
    if (s.destroyed || s.writableEnded) return
    if (parts.length === 1) { s.write(parts[0]!); return }
    // several slabs of small packets: one more copy is cheaper than a vectored write
    if (!large && !this.behind) { s.write(Buffer.concat(parts, length)); return }
    s.cork()
    for (const p of parts) s.write(p)
    s.uncork()
  }
}
