// What one subscriber received, per publisher and sequence number: deliveries, distinct messages and
// duplicates, exactly (one bit per message). Pure; the expectation is settled once publishing is over.
import { topicMatches } from '../../codec/topics.js'

export interface ReceiveCounts { received: number; unique: number; duplicates: number }

export class ReceiveTracker {
  readonly #seen: Uint8Array[] = []
  received = 0
  unique = 0
  duplicates = 0
  /** Messages whose stamp names a publisher or sequence outside this run (ignored in the counts). */
  foreign = 0

  /** One delivery; returns false when it was a duplicate. */
  add(publisher: number, seq: number): boolean {
    this.received++
    let bits = this.#seen[publisher]
    const byte = seq >>> 3
    if (!bits || byte >= bits.length) {
      const grown = new Uint8Array(Math.max(64, (byte + 1) * 2))
      if (bits) grown.set(bits)
      this.#seen[publisher] = bits = grown
    }
    const mask = 1 << (seq & 7)
    if (bits[byte]! & mask) { this.duplicates++; return false }
    bits[byte] = bits[byte]! | mask
    this.unique++
    return true
  }

  counts(): ReceiveCounts { return { received: this.received, unique: this.unique, duplicates: this.duplicates } }
}

/**
 * How many messages a subscriber on `filter` must receive: every message of every publisher whose topic the
 * filter matches (`sent[i]` = messages publisher i sent, `topics[i]` its topic).
 */
export function expectedFor(filter: string, topics: readonly string[], sent: readonly number[]): number {
  const plain = filter.startsWith('$share/') ? filter.slice(filter.indexOf('/', 7) + 1) : filter
  let n = 0
  for (let i = 0; i < topics.length; i++) if (topicMatches(plain, topics[i]!)) n += sent[i] ?? 0
  return n
}
