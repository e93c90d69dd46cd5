// mosquitto's memory_limit: above it the broker takes no new work — new connections are refused and
// incoming messages dropped (QoS 1/2 refused) — until memory is back under it. Memory is sampled (heap +
// Buffers, what the broker allocates) every SAMPLE_MS on the broker's clock, not measured per message.
import { unrefTimer, type Clock } from '../core/clock.js'

const SAMPLE_MS = 250

export class MemoryLimit {
  /** Memory was over the limit at the last sample. */
  over = false
  #timer: unknown

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly sample: () => number = allocated,
    private readonly onChange: (over: boolean, bytes: number) => void = () => {},
  ) {
    if (limit > 0) this.#tick()
  }

  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #tick(): void {
    const bytes = this.sample()
    const over = bytes > this.limit
    if (over !== this.over) {
      this.over = over
      this.onChange(over, bytes)
    }
    this.#timer = unrefTimer(this.clock.setTimeout(() => this.#tick(), SAMPLE_MS))
  }
}

function allocated(): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}
