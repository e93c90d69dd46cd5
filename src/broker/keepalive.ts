// Server-side keepalive: a client silent for 1.5 × its keepalive is disconnected [MQTT-3.1.2-24].
// Packets only stamp a time (no timer churn on the hot path); one timer per client re-arms itself.
import { unrefTimer, type Clock } from '../core/clock.js'

export class KeepaliveWatch {
  #last: number
  #timer: unknown
  readonly #limitMs: number

  constructor(keepaliveSeconds: number, private readonly clock: Clock, private readonly expired: () => void) {
    this.#last = clock.now()
    this.#limitMs = keepaliveSeconds * 1500
    if (keepaliveSeconds > 0) this.#arm(this.#limitMs)
  }

  /** A packet arrived. */
  touch(): void { this.#last = this.clock.now() }

  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm(ms: number): void {
    this.#timer = unrefTimer(this.clock.setTimeout(() => this.#check(), ms))
  }

  #check(): void {
    const idle = this.clock.now() - this.#last
    if (idle >= this.#limitMs) {
      this.#timer = undefined
      this.expired()
    } else this.#arm(this.#limitMs - idle)
  }
}
