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
 * Publish messages `first` .. `first + count - 1` at once, one answer for all: how many of them failed (all of
 * them when it rejects). Each must mean what send()'s answer would (QoS 0: written).
 */
export type SendMany = (first: number, count: number) => Promise<number>

/**
 * `stopped` is asked before every publish and after every wait: a signal, or the publisher's connection
 * closed (then the publishes still open fail, are counted, and the loop ends instead of issuing more that
 * would fail at once). `onFailure` hears of each failed publish as it fails. With `sendMany`, the messages
 * that may go at one moment (due, within the window, up to the next clock reading) go in one call.
 */
export async function publishLoop(
  plan: LoopPlan, clock: BenchClock, send: (seq: number) => Promise<unknown>, stopped: () => boolean = () => false,
  onFailure: () => void = () => {}, sendMany?: SendMany,
): Promise<LoopResult> {
  const pacer = plan.rate === undefined ? undefined : new Pacer(plan.rate, plan.startAt)
  const limit = plan.count ?? Infinity
  let issued = 0
  let failed = 0
  let open = 0
  let sinceYield = 0
  let wake: (() => void) | undefined
  const settle = () => { open--; const w = wake; wake = undefined; w?.() }
  const fail = () => { failed++; onFailure(); settle() }
  const settleMany = (count: number, lost: number) => {
    open -= count
    failed += lost
    for (let i = 0; i < lost; i++) onFailure()
    const w = wake
    wake = undefined
    w?.()
  }
  // Unpaced, the clock is read once per 16 messages (the end time is then at most 15 messages late).
  const every = pacer ? 1 : 16
  let now = clock.now()
  while (issued < limit && !stopped()) {
    if (sendMany || issued % every === 0) now = clock.now()
    if (plan.endAt !== undefined && now >= plan.endAt) break
    if (pacer && issued >= pacer.dueCount(now)) {
      await clock.sleep(Math.min(pacer.waitFor(issued, now), plan.endAt === undefined ? Infinity : plan.endAt - now))
      continue
    }
    let count = 1
    if (sendMany) {
      count = Math.min(limit - issued, plan.window - open, pacer ? pacer.dueCount(now) - issued : 16 - (issued % 16))
      open += count
      sendMany(issued, count).then((lost) => settleMany(count, lost), () => settleMany(count, count))
      issued += count
    } else {
      open++
      send(issued++).then(settle, fail)
    }
    sinceYield += count
    if (open >= plan.window) await new Promise<void>((resolve) => { wake = resolve })
    else if (!pacer && sinceYield >= YIELD_EVERY) { sinceYield = 0; await clock.yieldToIo() }
  }
  while (open > 0) await new Promise<void>((resolve) => { wake = resolve })
  return { issued, failed, doneAt: clock.now() }
}
