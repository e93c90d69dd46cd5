// Server-side keepalive: a client silent for 1.5 × its keepalive is disconnected [MQTT-3.1.2-24].
// One wheel per broker checks every watched connection each TICK_MS (a timer per connection cost ~300
// bytes of idle memory each); a packet only sets a flag, the wheel stamps the time. A silent client is
// therefore noticed between 1.5 × keepalive and that plus TICK_MS, as a server may.
import { unrefTimer, type Clock } from '../core/clock.js'

const TICK_MS = 500

export class KeepaliveWatch {
  /** When the wheel last saw this connection active. */
  last: number
  /** A packet arrived since the last tick. */
  active = false

  constructor(readonly limitMs: number, readonly expired: () => void, now: number) { this.last = now }

  /** A packet arrived. */
  touch(): void { this.active = true }
}

export class KeepaliveWheel {
  readonly #watches = new Set<KeepaliveWatch>()
  #timer: unknown

  constructor(private readonly clock: Clock) {}

  /** Watch a connection whose keepalive is `keepaliveSeconds` (> 0). */
  watch(keepaliveSeconds: number, expired: () => void): KeepaliveWatch {
    const w = new KeepaliveWatch(keepaliveSeconds * 1500, expired, this.clock.now())
    this.#watches.add(w)
    if (this.#timer === undefined) this.#arm()
    return w
  }

  stop(w: KeepaliveWatch | undefined): void {
    if (w === undefined) return
    this.#watches.delete(w)
    if (this.#watches.size === 0) this.close()
  }

  close(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm(): void {
    this.#timer = unrefTimer(this.clock.setTimeout(() => this.#tick(), TICK_MS))
  }

  #tick(): void {
    this.#timer = undefined
    const now = this.clock.now()
    for (const w of this.#watches) {
      if (w.active) { w.active = false; w.last = now; continue }
      if (now - w.last >= w.limitMs) {
        this.#watches.delete(w)
        w.expired()
      }
    }
    if (this.#watches.size > 0) this.#arm()
  }
}
