// When each message and each connection is due: pure arithmetic on an injected clock's times, so the
// rate limit and the connection ramp are tested without waiting.

/**
 * A publisher's schedule at `rate` messages per second from `startMs`: message k (0-based) is due at
 * start + k / rate. Sending every message that is due, then sleeping until the next one, holds the rate
 * over the run however coarse the timers are (no drift: times are from the start, not from the last send).
 */
export class Pacer {
  constructor(readonly rate: number, readonly startMs: number) {}

  dueAt(k: number): number { return this.startMs + (k * 1000) / this.rate }

  /** How many messages (counting from 0) are due at `nowMs`. */
  dueCount(nowMs: number): number {
    if (nowMs < this.startMs) return 0
    return Math.floor(((nowMs - this.startMs) * this.rate) / 1000) + 1
  }

  /** Milliseconds to wait before message k may go (0 when it is due). */
  waitFor(k: number, nowMs: number): number { return Math.max(0, this.dueAt(k) - nowMs) }
}

/** The connection ramp: connection i (0-based, over all workers) opens `i / rate` seconds after the start. */
export function rampOffsetMs(i: number, connectionsPerSecond: number | undefined): number {
  return connectionsPerSecond === undefined ? 0 : (i * 1000) / connectionsPerSecond
}

/** How many of `total` messages publisher `index` of `publishers` sends to share a total exactly. */
export function shareOf(total: number, publishers: number, index: number): number {
  return Math.floor(total / publishers) + (index < total % publishers ? 1 : 0)
}
