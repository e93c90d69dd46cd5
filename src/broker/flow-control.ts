// Flow control between a QoS>0 publisher and the connected subscribers its messages queue up for.
//
// Why: the broker acknowledges a PUBLISH as soon as it is routed, while a subscriber drains at most its
// inflight window (max_inflight_messages) per round trip. A fast publisher therefore fills a subscriber's
// queue past max_queued_messages and the overflow is dropped — that is mosquitto's rule, and it loses
// messages in plain load tests where nobody is actually stuck. We throttle first, then drop: once a message
// from a client queues for a connected subscriber whose queue is past the high-water mark, the broker
// holds that publisher (stops processing its PUBLISHes, so its PUBACKs/PUBRECs stop and its own window
// stalls; see BrokerClient.hold) until every subscriber it waits on drains to the low-water mark or goes
// away. MQTT does not oblige a server to read or acknowledge a PUBLISH within any time, so delaying is
// allowed; only the order of messages matters [MQTT-4.6.0-6], and a held publisher's messages keep theirs.
//
// Bounds: a hold lasts at most `maxHoldMs`; the subscribers still not drained then are marked stalled and
// throttle nobody until they drain, so one subscriber that stopped acknowledging cannot freeze publishers —
// its queue overflows and max_queued_messages drops apply, as in mosquitto. Messages the broker publishes
// itself ($SYS, wills, broker.publish) have no publisher and are never held.

import { unrefTimer, type Clock } from '../core/clock.js'

/** What flow control needs of a connection (BrokerClient). */
export interface FlowPeer {
  /** Stop processing PUBLISHes from this client until `release()`. */
  hold(): void
  release(): void
}

export interface FlowOptions {
  /** Queued messages (behind the inflight window) at which a subscriber holds the publishers feeding it. */
  highWater: number
  /** Queued messages at or below which a subscriber releases them. */
  lowWater: number
  /** Longest a publisher is held before its subscribers count as stalled. */
  maxHoldMs: number
}

/** Defaults measured with mqload (10 → 10 QoS 1): high enough not to stall steady traffic, far below 1000. */
export function flowOptionsFor(maxQueued: number): FlowOptions {
  const limit = maxQueued > 0 ? maxQueued : Infinity
  const highWater = Math.max(1, Math.min(100, Math.floor(limit / 2)))
  return { highWater, lowWater: Math.floor(highWater / 2), maxHoldMs: 500 }
}

export class FlowControl {
  /** publisher → the subscribers it waits on. */
  readonly #waitingOn = new Map<FlowPeer, Set<FlowPeer>>()
  /** subscriber → the publishers waiting on it. */
  readonly #waiters = new Map<FlowPeer, Set<FlowPeer>>()
  readonly #timers = new Map<FlowPeer, unknown>()
  /** Subscribers that kept a publisher waiting for maxHoldMs: they throttle nobody until they drain. */
  readonly #stalled = new Set<FlowPeer>()

  constructor(readonly opts: FlowOptions, private readonly clock: Clock) {}

  /** How many publishers are held now (for tests and diagnostics). */
  get heldCount(): number { return this.#waitingOn.size }

  /** A message from `publisher` was queued for `subscriber`, whose queue now holds `queued` messages. */
  queued(publisher: FlowPeer, subscriber: FlowPeer, queued: number): void {
    if (queued < this.opts.highWater || publisher === subscriber || this.#stalled.has(subscriber)) return
    let on = this.#waitingOn.get(publisher)
    if (on === undefined) {
      on = new Set()
      this.#waitingOn.set(publisher, on)
      this.#timers.set(publisher, unrefTimer(this.clock.setTimeout(() => this.#expire(publisher), this.opts.maxHoldMs)))
      publisher.hold()
    }
    on.add(subscriber)
    let ws = this.#waiters.get(subscriber)
    if (ws === undefined) this.#waiters.set(subscriber, ws = new Set())
    ws.add(publisher)
  }

  /** `subscriber` settled messages and has `queued` left: at the low-water mark it releases its publishers. */
  drained(subscriber: FlowPeer, queued: number): void {
    if ((this.#waiters.size === 0 && this.#stalled.size === 0) || queued > this.opts.lowWater) return
    this.#stalled.delete(subscriber)
    this.#releaseWaiters(subscriber)
  }

  /** A connection closed: release what waits on it, and forget what it waited on. */
  closed(c: FlowPeer): void {
    this.#stalled.delete(c)
    this.#releaseWaiters(c)
    const on = this.#waitingOn.get(c)
    if (on !== undefined) this.#forget(c, on)
  }

  #releaseWaiters(subscriber: FlowPeer): void {
    const ws = this.#waiters.get(subscriber)
    if (ws === undefined) return
    this.#waiters.delete(subscriber)
    for (const p of ws) {
      const on = this.#waitingOn.get(p)
      if (on === undefined) continue
      on.delete(subscriber)
      if (on.size === 0) { this.#forget(p, on); p.release() }
    }
  }

  /** The hold bound passed: whoever has not drained is stalled; the publisher goes on. */
  #expire(publisher: FlowPeer): void {
    const on = this.#waitingOn.get(publisher)
    if (on === undefined) return
    for (const s of [...on]) { // a stalled subscriber holds nobody, whoever else waited on it
      this.#stalled.add(s)
      this.#releaseWaiters(s)
    }
  }

  #forget(publisher: FlowPeer, on: Set<FlowPeer>): void {
    this.#waitingOn.delete(publisher)
    const timer = this.#timers.get(publisher)
    if (timer !== undefined) this.clock.clearTimeout(timer)
    this.#timers.delete(publisher)
    for (const s of on) {
      const ws = this.#waiters.get(s)
      if (ws === undefined) continue
      ws.delete(publisher)
      if (ws.size === 0) this.#waiters.delete(s)
    }
  }
}
