// The sessions of all client ids: open (clean start or resume), detach when the connection goes, end,
// session expiry and delayed wills, all timed by the broker's injected clock.
import { unrefTimer, type Clock } from '../core/clock.js'
import type { Message } from './message.js'
import type { Router } from './router.js'
import { BrokerSession, type BrokerSessionSnapshot, type Subscription } from './session.js'
import type { SessionEvents } from './session-events.js'
import type { BrokerStats } from './stats.js'
import type { Will } from './will.js'

export interface SessionsOptions {
  maxInflight: number
  maxQueued: number
  clock: Clock
  /** Upper bound for sessions that never expire by themselves (v3 persistent, v5 0xFFFFFFFF). */
  persistentClientExpirationMs: number | undefined
  /** Publish a will whose delay ran out or whose session ended. */
  publishWill: (will: Message, s: BrokerSession) => void
}

/** Timers take at most 2^31-1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1

export class Sessions {
  readonly #map = new Map<string, BrokerSession>()

  constructor(
    private readonly events: SessionEvents,
    private readonly router: Router,
    private readonly stats: BrokerStats,
    private readonly opts: SessionsOptions,
  ) {}

  get(clientId: string): BrokerSession | undefined { return this.#map.get(clientId) }
  values(): IterableIterator<BrokerSession> { return this.#map.values() }
  get size(): number { return this.#map.size }

  /**
   * The session for a CONNECT: a clean start discards an existing one [MQTT-3.1.2-4]; otherwise an
   * unexpired existing session is resumed [MQTT-3.1.2-5] (`present` = session present flag).
   */
  open(clientId: string, clean: boolean): { session: BrokerSession; present: boolean } {
    const old = this.#map.get(clientId)
    if (old) {
      this.#cancelWill(old) // a new connection for the client id cancels a delayed will [MQTT-3.1.3-9]
      const expired = this.#expired(old)
      if (old.client === undefined) this.#markReconnected(old)
      if (!clean && !expired) return { session: old, present: true }
      if (expired) this.stats.clientsExpired++
      this.end(old)
    }
    const session = new BrokerSession(clientId, this.events, this.opts.maxInflight, this.opts.maxQueued)
    this.#map.set(clientId, session)
    this.events.opened(session)
    return { session, present: false }
  }

  /** Add or replace a subscription of `session` (its owner) and in the router; returns the replaced one. */
  subscribe(sub: Subscription): Subscription | undefined {
    const old = sub.session.subscribe(sub)
    if (old) this.router.remove(old)
    this.router.add(sub)
    return old
  }

  unsubscribe(session: BrokerSession, filter: string): boolean {
    const sub = session.unsubscribe(filter)
    if (sub) this.router.remove(sub)
    return sub !== undefined
  }

  /**
   * The client of `session` went away. Its will is published now, or after its delay if the session
   * outlives the connection; the session is kept for its expiry interval, or ended now.
   */
  detach(session: BrokerSession): void {
    session.client = undefined
    session.qos.suspend()
    const ms = this.#effectiveExpiry(session)
    const will = session.will
    session.will = undefined
    if (ms <= 0) {
      if (will) this.opts.publishWill(will.message, session)
      return this.end(session)
    }
    session.disconnectedAt = this.opts.clock.now()
    this.stats.clientsDisconnected++
    if (will && will.delayMs > 0) this.#deferWill(session, will, session.disconnectedAt + will.delayMs)
    else if (will) this.opts.publishWill(will.message, session)
    this.#armExpiry(session, ms)
    session.changed()
  }

  /** Forget a session for good (clean start, expiry, broker close): its messages are released. */
  end(session: BrokerSession): void {
    if (this.#map.get(session.clientId) !== session) return
    if (session.client === undefined && session.disconnectedAt !== 0) this.#markReconnected(session)
    this.#map.delete(session.clientId)
    const pending = session.willDueAt !== 0 ? session.will : undefined
    this.#cancelWill(session)
    if (pending) this.opts.publishWill(pending.message, session) // the session ended before the will delay [MQTT-3.1.3-9]
    for (const sub of [...session.subscriptions.values()]) this.unsubscribe(session, sub.filter)
    session.qos.discard()
    this.events.ended(session)
  }

  /**
   * Take a session back from the durable store after a restart. Every restored session is offline: a client
   * that was connected when the broker stopped lost its connection then, abnormally (its will is due).
   * Nothing is published from here: due wills and expiries fire from timers once everything is loaded.
   */
  restore(snap: BrokerSessionSnapshot, parseFilter: Parameters<BrokerSession['restore']>[1]): BrokerSession {
    const session = new BrokerSession(snap.clientId, this.events, this.opts.maxInflight, this.opts.maxQueued)
    this.#map.set(snap.clientId, session)
    for (const sub of session.restore(snap, parseFilter)) this.router.add(sub)
    const now = this.opts.clock.now()
    if (session.disconnectedAt === 0) session.disconnectedAt = now
    this.stats.clientsDisconnected++
    const will = session.will
    if (will) this.#deferWill(session, will, session.willDueAt !== 0 ? session.willDueAt : now + will.delayMs)
    this.#armExpiry(session, Math.max(0, session.disconnectedAt + this.#effectiveExpiry(session) - now))
    return session
  }

  /** Stop all timers (broker close). */
  stopTimers(): void {
    const clock = this.opts.clock
    for (const s of this.#map.values()) {
      if (s.expiryTimer !== undefined) clock.clearTimeout(s.expiryTimer)
      s.expiryTimer = undefined
      if (s.willTimer !== undefined) clock.clearTimeout(s.willTimer)
      s.willTimer = undefined
    }
  }

  #deferWill(session: BrokerSession, will: Will, dueAt: number): void {
    session.will = will
    session.willDueAt = dueAt
    const clock = this.opts.clock
    session.willTimer = unrefTimer(clock.setTimeout(() => {
      session.willTimer = undefined
      session.willDueAt = 0
      session.will = undefined
      session.changed()
      this.opts.publishWill(will.message, session)
    }, Math.min(Math.max(0, dueAt - clock.now()), MAX_TIMER_MS)))
  }

  #cancelWill(session: BrokerSession): void {
    if (session.willTimer !== undefined) this.opts.clock.clearTimeout(session.willTimer)
    session.willTimer = undefined
    if (session.willDueAt !== 0) {
      session.willDueAt = 0
      session.will = undefined
    }
  }

  #armExpiry(session: BrokerSession, ms: number): void {
    if (!Number.isFinite(ms) || ms >= MAX_TIMER_MS) return
    session.expiryTimer = unrefTimer(this.opts.clock.setTimeout(() => this.#expire(session), ms))
  }

  #expire(session: BrokerSession): void {
    session.expiryTimer = undefined
    if (session.client !== undefined || this.#map.get(session.clientId) !== session) return
    this.stats.clientsExpired++
    this.end(session)
  }

  #expired(session: BrokerSession): boolean {
    if (session.client !== undefined || session.disconnectedAt === 0) return false
    return this.opts.clock.now() - session.disconnectedAt >= this.#effectiveExpiry(session)
  }

  #effectiveExpiry(session: BrokerSession): number {
    const cap = this.opts.persistentClientExpirationMs
    return cap !== undefined && cap > 0 ? Math.min(session.expiryMs, cap) : session.expiryMs
  }

  #markReconnected(session: BrokerSession): void {
    if (session.expiryTimer !== undefined) { this.opts.clock.clearTimeout(session.expiryTimer); session.expiryTimer = undefined }
    if (session.disconnectedAt !== 0) this.stats.clientsDisconnected--
    session.disconnectedAt = 0
  }
}
