// Client keepalive: PINGREQ when nothing was sent for `keepalive` seconds; a missing PINGRESP within a
// keepalive period is a dead connection (libmosquitto's MOSQ_ERR_KEEPALIVE).
//
// A send only bumps a counter (reading the clock for each of a million publishes was 4 % of `tspub -l`'s
// time); the timer ticks every half period and, when something was sent since the previous tick, counts the
// last send as made at that previous tick — the earliest it can have been. So a PINGREQ is never late (at most
// `keepalive` seconds after the real last send) and at most half a period early.
import type { Clock } from './clock.js'

export class KeepaliveTimer {
  #handle: unknown
  /** The earliest the last send can have been made. */
  #lastSent: number
  /** When the timer last ticked, and how many sends it had seen then. */
  #lastTick: number
  #sends = 0
  #sendsAtTick = 0
  #awaitingPong = false
  #pingAt = 0
  #stopped = false

  constructor(
    private readonly seconds: number,
    private readonly clock: Clock,
    private readonly ping: () => void,
    private readonly expired: () => void,
  ) {
    this.#lastSent = this.#lastTick = clock.now()
    if (seconds > 0) this.#arm(this.#half())
  }

  /** Something was written to the peer. */
  sent(): void { this.#sends++ }
  /** PINGRESP arrived. */
  pong(): void { this.#awaitingPong = false }

  stop(): void {
    this.#stopped = true
    if (this.#handle !== undefined) this.clock.clearTimeout(this.#handle)
  }

  #half(): number { return Math.max(1, Math.floor(this.seconds * 500)) }

  #arm(ms: number): void {
    this.#handle = this.clock.setTimeout(() => this.#tick(), ms)
  }

  #tick(): void {
    if (this.#stopped) return
    const now = this.clock.now()
    if (this.#sends !== this.#sendsAtTick) this.#lastSent = this.#lastTick
    this.#sendsAtTick = this.#sends
    this.#lastTick = now
    const period = this.seconds * 1000
    if (this.#awaitingPong) {
      if (now - this.#pingAt >= period) return this.expired() // a whole period without the PINGRESP
      return this.#arm(Math.min(this.#half(), this.#pingAt + period - now))
    }
    if (now - this.#lastSent >= period) {
      this.#awaitingPong = true
      this.ping()
      this.#sendsAtTick = this.#sends // the PINGREQ itself
      this.#lastSent = this.#pingAt = now
    }
    this.#arm(Math.min(this.#half(), period - (now - this.#lastSent)))
  }
}
