// Client keepalive: PINGREQ when nothing was sent for `keepalive` seconds; a missing PINGRESP by the
// next tick is a dead connection (libmosquitto's MOSQ_ERR_KEEPALIVE).
import type { Clock } from './clock.js'

export class KeepaliveTimer {
  #handle: unknown
  #lastSent: number
  #awaitingPong = false
  #stopped = false

  constructor(
    private readonly seconds: number,
    private readonly clock: Clock,
    private readonly ping: () => void,
    private readonly expired: () => void,
  ) {
    this.#lastSent = clock.now()
    if (seconds > 0) this.#arm(seconds * 1000)
  }

  /** Something was written to the peer. */
  sent(): void { this.#lastSent = this.clock.now() }
  /** PINGRESP arrived. */
  pong(): void { this.#awaitingPong = false }

  stop(): void {
    this.#stopped = true
    if (this.#handle !== undefined) this.clock.clearTimeout(this.#handle)
  }

  #arm(ms: number): void {
    this.#handle = this.clock.setTimeout(() => this.#tick(), ms)
  }

  #tick(): void {
    if (this.#stopped) return
    const period = this.seconds * 1000
    if (this.#awaitingPong) return this.expired()
    const idle = this.clock.now() - this.#lastSent
    if (idle >= period) {
      this.#awaitingPong = true
      this.ping()
      this.#lastSent = this.clock.now()
      this.#arm(period)
    } else {
      this.#arm(period - idle)
    }
  }
}
