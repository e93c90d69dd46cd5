// One publisher's loop: send until the count or the end time, at the paced rate or as fast as the
// acknowledgements come back (at most `window` unfinished publishes). The clock is injected.
import { Pacer } from './pacing.js'

export interface BenchClock {
  /** Milliseconds since the epoch, sub-millisecond (the same scale as the payload stamps). */
  now(): number
  sleep(ms: number): Promise<void>
  /** Let pending I/O run (the subscribers' sockets of this thread), then go on. */
  yieldToIo(): Promise<void>
}

const origin = performance.timeOrigin

export const systemBenchClock: BenchClock = {
  now: () => origin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  yieldToIo: () => new Promise((resolve) => setImmediate(resolve)),
}

/**
 * Unpaced, a loop only waits for write callbacks, which Node runs without returning to the event loop while
 * the kernel takes the bytes: the subscribers of the same thread were never read (mosquitto then dropped the
 * QoS 0 messages queued for them). So every this many messages the loop yields to I/O.
 */
const YIELD_EVERY = 256

export interface LoopPlan {
  startAt: number
  /** Stop issuing at this time (ms); undefined = only the count stops. */
  endAt?: number
  count?: number
  /** Messages per second; undefined = unpaced. */
  rate?: number
  /** Unfinished publishes allowed at once. */
  window: number
}

/** `issued` counts the failed publishes too: the messages that went are `issued - failed`. */
export interface LoopResult { issued: number; failed: number; doneAt: number }

/**
 * `stopped` is asked before every publish and after every wait: a signal, or the publisher's connection
 * closed (then the publishes still open fail, are counted, and the loop ends instead of issuing more that
 * would fail at once). `onFailure` hears of each failed publish as it fails.
 */
export async function publishLoop(
  plan: LoopPlan, clock: BenchClock, send: (seq: number) => Promise<unknown>, stopped: () => boolean = () => false,
  onFailure: () => void = () => {},
): Promise<LoopResult> {
  const pacer = plan.rate === undefined ? undefined : new Pacer(plan.rate, plan.startAt)
  const limit = plan.count ?? Infinity
  let issued = 0
  let failed = 0
  let open = 0
  let wake: (() => void) | undefined
  const settle = () => { open--; const w = wake; wake = undefined; w?.() }
  const fail = () => { failed++; onFailure(); settle() }
  // Unpaced, the clock is read once per 16 messages (the end time is then at most 15 messages late).
  const every = pacer ? 1 : 16
  let now = clock.now()
  while (issued < limit && !stopped()) {
    if (issued % every === 0) now = clock.now()
    if (plan.endAt !== undefined && now >= plan.endAt) break
    if (pacer && issued >= pacer.dueCount(now)) {
      await clock.sleep(Math.min(pacer.waitFor(issued, now), plan.endAt === undefined ? Infinity : plan.endAt - now))
      continue
    }
    open++
    send(issued++).then(settle, fail)
    if (open >= plan.window) await new Promise<void>((resolve) => { wake = resolve })
    else if (!pacer && issued % YIELD_EVERY === 0) await clock.yieldToIo()
  }
  while (open > 0) await new Promise<void>((resolve) => { wake = resolve })
  return { issued, failed, doneAt: clock.now() }
}
