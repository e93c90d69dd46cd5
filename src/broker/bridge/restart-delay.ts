// How long a bridge waits before trying again (mosquitto's restart_timeout): a fixed wait, or the
// "decorrelated jitter" backoff mosquitto uses for `restart_timeout base cap` and by default (5 s, 30 s):
// each wait is random between the base and three times the previous one, never above the cap, and back
// to the base once a connection succeeds. Pure (the random source is injected).

export class RestartDelay {
  #previous: number

  /** Milliseconds; `cap` undefined: always `base`. */
  constructor(private readonly base: number, private readonly cap: number | undefined, private readonly random: () => number = Math.random) {
    this.#previous = base
  }

  /** The wait before the next attempt, in ms. */
  next(): number {
    const cap = this.cap
    if (cap === undefined) return this.base
    const high = Math.max(this.base, this.#previous * 3)
    const wait = Math.min(cap, Math.round(this.base + this.random() * (high - this.base)))
    this.#previous = wait
    return wait
  }

  /** A connection succeeded: the next wait starts from the base again. */
  reset(): void { this.#previous = this.base }
}
