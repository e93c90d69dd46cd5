// Sessions: subscriptions and the outgoing QoS 1/2 state of one client id, kept across connections when
// the client asked for a persistent session; clean start, takeover bookkeeping and session expiry.
import type { QoS } from '../codec/index.js'
import { Session } from '../core/session.js'
import type { BrokerClient } from './broker-client.js'
import type { ClientInfo } from './hooks.js'
import type { Message } from './message.js'
import type { BrokerStats } from './stats.js'
import type { SessionStore } from './store.js'

export interface Subscription {
  readonly session: BrokerSession
  /** As subscribed, `$share/group/` prefix included. */
  readonly filter: string
  /** The filter matched against topics (without the share prefix). */
  readonly topicFilter: string
  /** Shared subscription group, if any. */
  readonly group: string | undefined
  readonly qos: QoS
  readonly noLocal: boolean
  readonly retainAsPublished: boolean
  readonly retainHandling: 0 | 1 | 2
  /** v5 subscription identifier. */
  readonly id: number | undefined
}

/** A message waiting for an offline client (or behind a full window). */
export interface Queued { readonly message: Message; readonly qos: QoS; readonly retain: boolean; readonly subIds: number[] | undefined }

export class BrokerSession {
  readonly subscriptions = new Map<string, Subscription>()
  /** Outgoing window (max_inflight_messages) and its queue, plus inbound QoS 2 dedupe. Tag: the message. */
  readonly qos: Session<Message>
  /** QoS 1/2 messages that arrived while the client was offline, oldest first. */
  offline: Queued[] = []
  client: BrokerClient | undefined
  /** Who owned the session last (for read authorization while offline). */
  info: ClientInfo | undefined
  /** How long the session outlives its connection: 0 = not at all, Infinity = forever. */
  expiryMs = 0
  disconnectedAt = 0
  expiryTimer: NodeJS.Timeout | undefined
  /** A will waiting for its v5 will-delay-interval (cancelled if the client id reconnects). */
  pendingWill: Message | undefined
  willTimer: NodeJS.Timeout | undefined
  // Scratch fields for one routing pass (dedupe of overlapping subscriptions without allocating).
  routeGen = 0
  routeQos: QoS = 0
  routeRetain = false
  routeSubIds: number[] | undefined = undefined

  constructor(readonly clientId: string, maxInflight: number, maxQueued: number) {
    this.qos = new Session<Message>({ maxInflight, maxQueued })
  }

  /** Messages held for this client (queued behind the window + offline). */
  get queuedCount(): number { return this.qos.queuedCount + this.offline.length }
}

export interface SessionsOptions {
  maxInflight: number
  maxQueued: number
  now: () => number
  /** Upper bound for sessions that never expire by themselves (v3 persistent, v5 0xFFFFFFFF). */
  persistentClientExpirationMs: number | undefined
  /** The session is gone (expired or replaced): remove its subscriptions from the router. */
  onEnd: (s: BrokerSession) => void
  /** Publish a will whose delay ran out or whose session ended. */
  publishWill: (will: Message, s: BrokerSession) => void
}

export class Sessions {
  constructor(private readonly store: SessionStore, private readonly stats: BrokerStats, private readonly opts: SessionsOptions) {}

  get(clientId: string): BrokerSession | undefined { return this.store.get(clientId) }
  values(): IterableIterator<BrokerSession> { return this.store.values() }
  get size(): number { return this.store.size }

  /**
   * The session for a CONNECT: a clean start discards an existing one [MQTT-3.1.2-4]; otherwise an
   * unexpired existing session is resumed [MQTT-3.1.2-5] (`present` = session present flag).
   */
  open(clientId: string, clean: boolean): { session: BrokerSession; present: boolean } {
    const old = this.store.get(clientId)
    if (old) {
      this.#cancelWill(old) // a new connection for the client id cancels a delayed will [MQTT-3.1.3-9]
      const expired = this.#expired(old)
      if (old.client === undefined) this.#markReconnected(old)
      if (!clean && !expired) return { session: old, present: true }
      if (expired) this.stats.clientsExpired++
      this.end(old)
    }
    const session = new BrokerSession(clientId, this.opts.maxInflight, this.opts.maxQueued)
    this.store.set(session)
    return { session, present: false }
  }

  /** The client of `session` went away: keep the session for its expiry interval, or end it now. */
  detach(session: BrokerSession): void {
    session.client = undefined
    const ms = this.#effectiveExpiry(session)
    if (ms <= 0) return this.end(session)
    session.disconnectedAt = this.opts.now()
    this.stats.clientsDisconnected++
    if (Number.isFinite(ms) && ms < 2 ** 31) {
      session.expiryTimer = setTimeout(() => this.#expire(session), ms)
      session.expiryTimer.unref()
    }
  }

  /** Forget a session for good (clean start, expiry, broker close). */
  end(session: BrokerSession): void {
    if (this.store.get(session.clientId) !== session) return
    if (session.client === undefined && session.disconnectedAt !== 0) this.#markReconnected(session)
    this.store.delete(session.clientId)
    const will = session.pendingWill
    this.#cancelWill(session)
    if (will) this.opts.publishWill(will, session) // the session ended before the will delay [MQTT-3.1.3-9]
    this.stats.storedMessages -= session.offline.length
    session.offline = []
    this.opts.onEnd(session)
  }

  /** Publish `will` after `delayMs`, unless the client id reconnects first or the session ends first. */
  deferWill(session: BrokerSession, will: Message, delayMs: number): void {
    this.#cancelWill(session)
    session.pendingWill = will
    session.willTimer = setTimeout(() => {
      session.pendingWill = undefined
      session.willTimer = undefined
      this.opts.publishWill(will, session)
    }, Math.min(delayMs, 2 ** 31 - 1))
    session.willTimer.unref()
  }

  /** Stop all timers (broker close). */
  stopTimers(): void {
    for (const s of this.store.values()) {
      if (s.expiryTimer) clearTimeout(s.expiryTimer)
      this.#cancelWill(s)
    }
  }

  #cancelWill(session: BrokerSession): void {
    if (session.willTimer) clearTimeout(session.willTimer)
    session.willTimer = undefined
    session.pendingWill = undefined
  }

  #expire(session: BrokerSession): void {
    if (session.client !== undefined || this.store.get(session.clientId) !== session) return
    this.stats.clientsExpired++
    this.end(session)
  }

  #expired(session: BrokerSession): boolean {
    if (session.client !== undefined || session.disconnectedAt === 0) return false
    return this.opts.now() - session.disconnectedAt >= this.#effectiveExpiry(session)
  }

  #effectiveExpiry(session: BrokerSession): number {
    const cap = this.opts.persistentClientExpirationMs
    return cap !== undefined && cap > 0 ? Math.min(session.expiryMs, cap) : session.expiryMs
  }

  #markReconnected(session: BrokerSession): void {
    if (session.expiryTimer) { clearTimeout(session.expiryTimer); session.expiryTimer = undefined }
    if (session.disconnectedAt !== 0) this.stats.clientsDisconnected--
    session.disconnectedAt = 0
  }
}
