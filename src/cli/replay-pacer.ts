// `tspub --ndjson --replay-timing [--replay-speed N]`: when each recorded message is due again. The clock is
// injected, so the schedule is tested without sleeping.
import type { Clock } from '../core/clock.js'

/**
 * The first timed message goes at once; each later one (recorded at `at`, ms) is due the recorded gap to the
 * previous timed message, divided by `speed`, after that one was due. A time earlier than the previous one
 * counts as no gap, and a message that is due already (tspub fell behind) goes at once, so the timeline
 * catches up instead of drifting. A message without a time goes at once and leaves the schedule as it is.
 */
export class ReplayPacer {
  #prevAt: number | undefined
  #due = 0

  constructor(private readonly clock: Clock, private readonly speed = 1) {
    if (!(speed > 0)) throw new RangeError('speed must be > 0')
  }

  /** How long to wait (ms, 0 = now) before sending a message recorded at `at`. */
  wait(at: number | undefined): number {
    if (at === undefined) return 0
    const now = this.clock.now()
    if (this.#prevAt === undefined) {
      this.#due = now
    } else {
      this.#due += Math.max(0, at - this.#prevAt) / this.speed
    }
    this.#prevAt = at
    return Math.max(0, this.#due - now)
  }
}

/** Resolve after `ms` on `clock`, or at once when `signal` fires. */
export function sleep(ms: number, clock: Clock, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => { clock.clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
    const timer = clock.setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
