// Server-side keepalive: a client silent for 1.5 × its keepalive is disconnected [MQTT-3.1.2-24].
// Packets only stamp a time (no timer churn on the hot path); one timer per client re-arms itself.

export class KeepaliveWatch {
  #last = Date.now()
  #timer: NodeJS.Timeout | undefined
  readonly #limitMs: number

  constructor(keepaliveSeconds: number, private readonly expired: () => void) {
    this.#limitMs = keepaliveSeconds * 1500
    if (keepaliveSeconds > 0) this.#arm(this.#limitMs)
  }

  /** A packet arrived. */
  touch(): void { this.#last = Date.now() }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms)
    this.#timer.unref()
  }

  #check(): void {
    const idle = Date.now() - this.#last
    if (idle >= this.#limitMs) {
      this.#timer = undefined
      this.expired()
    } else this.#arm(this.#limitMs - idle)
  }
}
