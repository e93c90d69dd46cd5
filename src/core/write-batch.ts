// What a connection sends in one tick, written to its stream as one buffer when the tick ends. A stream write
// per packet costs a write request, a slot in the stream's buffer and (once the kernel is slow) an entry kept
// alive until it drains; at 300k messages/s those are most of the broker's garbage. Here small packets are
// copied into one buffer sized for the whole tick, and a large payload (a PUBLISH written as [header,
// payload], codec/encode.ts) keeps its own write, so it is never copied.
import type { Duplex } from 'node:stream'
import { SPLIT_PAYLOAD_BYTES } from '../codec/index.js'

export class WriteBatch {
  #parts: Buffer[] = []
  #length = 0
  #scheduled = false
  readonly #flush = (): void => this.flush()

  constructor(private readonly stream: Duplex) {}

  /** Bytes waiting for the end of the tick. */
  get length(): number { return this.#length }

  add(bytes: Buffer): void {
    this.#parts.push(bytes)
    this.#length += bytes.length
    if (!this.#scheduled) {
      this.#scheduled = true
      process.nextTick(this.#flush)
    }
  }

  /** Write what waits now (also called before the stream is ended). */
  flush(): void {
    this.#scheduled = false
    const parts = this.#parts
    const length = this.#length
    if (parts.length === 0) return
    this.#parts = []
    this.#length = 0
    const s = this.stream
    if (s.destroyed || s.writableEnded) return
    if (parts.length === 1) { s.write(parts[0]!); return }
    let large = false
    for (const p of parts) if (p.length >= SPLIT_PAYLOAD_BYTES) { large = true; break }
    if (!large) { s.write(join(parts, 0, parts.length, length)); return }
    // runs of small packets joined, each large buffer written as it is
    s.cork()
    let from = 0
    let runLength = 0
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (p.length < SPLIT_PAYLOAD_BYTES) { runLength += p.length; continue }
      if (i > from) s.write(join(parts, from, i, runLength))
      s.write(p)
      from = i + 1
      runLength = 0
    }
    if (parts.length > from) s.write(join(parts, from, parts.length, runLength))
    s.uncork()
  }
}

/** parts[from..to) copied back to back into one buffer of `length` bytes (one part: itself). */
function join(parts: readonly Buffer[], from: number, to: number, length: number): Buffer {
  if (to - from === 1) return parts[from]!
  const out = Buffer.allocUnsafe(length)
  let at = 0
  for (let i = from; i < to; i++) {
    const p = parts[i]!
    out.set(p, at)
    at += p.length
  }
  return out
}
