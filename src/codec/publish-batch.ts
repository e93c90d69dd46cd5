// PUBLISH packets written back to back into one buffer, for a client that sends many in one tick (tspub -l,
// tsbench): each message is copied once, into the batch, instead of getting a buffer of its own, and
// the tick's messages leave in one write, not one per message (a writev of many small buffers cost more than
// the rest of tspub -l together). The bytes are exactly encode()'s for the same packet (test/unit/codec).
// Only what needs no property block: a v5 PUBLISH here carries an empty one.
import type { ProtocolVersion, QoS } from './index.js'

/**
 * The batch writes into a buffer of its own until it is full, then starts a new one, twice as big up to
 * SLAB_BYTES: a busy connection writes into 64 KB buffers, one that sends a message now and then keeps 1 KB
 * (tsbench may hold thousands of connections), and what was handed out is never written again.
 */
const FIRST_SLAB_BYTES = 1024
const SLAB_BYTES = 64 * 1024

/** Largest topic of a PUBLISH, in UTF-8 bytes (a two-byte length, MQTT §1.5.4). */
export const MAX_TOPIC_BYTES = 65_535

export class PublishBatch {
  /** Bytes written since the last take(), from #start to #pos of #slab. */
  #slab: Buffer = Buffer.alloc(0)
  #start = 0
  #pos = 0
  /** The last topic and its UTF-8 bytes (a publisher mostly repeats one topic). */
  #topic = ''
  #topicBytes: Buffer = Buffer.alloc(0)

  constructor(readonly version: ProtocolVersion) {}

  /** UTF-8 bytes of `topic` (kept for the next call with the same topic). */
  topicBytes(topic: string): Buffer {
    if (topic !== this.#topic) {
      this.#topicBytes = Buffer.from(topic, 'utf8')
      this.#topic = topic
    }
    return this.#topicBytes
  }

  /** Bytes of the PUBLISH of `topic` (UTF-8 bytes) and `payload` on the wire, header included. */
  size(topic: Buffer, payload: Buffer, qos: QoS = 0): number {
    const remaining = this.#remaining(topic, payload, qos)
    return 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4) + remaining
  }

  /**
   * Append a PUBLISH; `messageId` and `dup` count for QoS 1 and 2 only (a QoS 0 one is never DUP
   * [MQTT-3.3.1-2]). The caller keeps `topic` within MAX_TOPIC_BYTES.
   */
  add(topic: Buffer, payload: Buffer, retain: boolean, qos: QoS = 0, messageId = 0, dup = false): void {
    const remaining = this.#remaining(topic, payload, qos)
    const total = 5 + remaining // the most a header can take: one byte and a four-byte length
    if (this.#slab.length - this.#pos < total) this.#newSlab(total)
    const out = this.#slab
    let pos = this.#pos
    out[pos++] = 0x30 | (qos > 0 && dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0)
    for (let n = remaining; ; ) {
      const digit = n & 0x7f
      n >>>= 7
      out[pos++] = n > 0 ? digit | 0x80 : digit
      if (n === 0) break
    }
    out[pos++] = topic.length >> 8
    out[pos++] = topic.length & 0xff
    out.set(topic, pos)
    pos += topic.length
    if (qos > 0) {
      out[pos++] = messageId >> 8
      out[pos++] = messageId & 0xff
    }
    if (this.version === 5) out[pos++] = 0 // no properties
    out.set(payload, pos)
    this.#pos = pos + payload.length
  }

  /** Bytes added and not yet taken. */
  get pending(): number { return this.#pos - this.#start }

  /** What was added since the last call, as one buffer (a view: the batch never writes into it again). */
  take(): Buffer | undefined {
    if (this.#pos === this.#start) return undefined
    const bytes = this.#slab.subarray(this.#start, this.#pos)
    this.#start = this.#pos
    return bytes
  }

  #remaining(topic: Buffer, payload: Buffer, qos: QoS): number {
    return 2 + topic.length + (qos > 0 ? 2 : 0) + (this.version === 5 ? 1 : 0) + payload.length
  }

  /** Room for `bytes` more; what is pending moves along (it was never handed out), with room to grow. */
  #newSlab(bytes: number): void {
    const pending = this.#slab.subarray(this.#start, this.#pos)
    const next = this.#slab.length === 0 ? FIRST_SLAB_BYTES : Math.min(SLAB_BYTES, 2 * this.#slab.length)
    const slab = Buffer.allocUnsafe(Math.max(next, 2 * (pending.length + bytes)))
    slab.set(pending, 0)
    this.#slab = slab
    this.#start = 0
    this.#pos = pending.length
  }
}
