// A Clock whose time moves only when a test says so.
import type { Clock } from '../../src/core/clock.js'

export class ManualClock implements Clock {
  #now = 0
  #timers: { at: number; fn: () => void; id: number }[] = []
  #nextId = 1
  #onSet: (() => void)[] = []

  now(): number { return this.#now }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++
    this.#timers.push({ at: this.#now + ms, fn, id })
    for (const w of this.#onSet.splice(0)) w()
    return id
  }

  /** Resolves once a timer is pending (at once if one is): wait for code under test to arm one, then advance. */
  armed(): Promise<void> {
    if (this.#timers.length > 0) return Promise.resolve()
    return new Promise((resolve) => { this.#onSet.push(resolve) })
  }
  clearTimeout(handle: unknown): void { this.#timers = this.#timers.filter((t) => t.id !== handle) }

  /** Move time forward, firing due timers in order (bounded: at most 10 000 timers per call). */
  advance(ms: number): void {
    const end = this.#now + ms
    for (let i = 0; i < 10_000; i++) {
      this.#timers.sort((a, b) => a.at - b.at)
      const next = this.#timers[0]
      if (!next || next.at > end) break
      this.#timers.shift()
      this.#now = next.at
      next.fn()
    }
    this.#now = end
  }
}
