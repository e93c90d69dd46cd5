// One client id's session, and the one owner of everything it holds: its subscriptions, its outbound
// QoS 1/2 messages (in flight, queued behind the window, queued while offline) and inbound QoS 2 ids (both
// in the pure core Session), its connection's will and a delayed will, and its expiry. Everything that
// changes is told to one SessionEvents listener (stats and the durable store); snapshot()/restore() turn
// the whole of it into plain data and back.
import type { QoS } from '../codec/index.js'
import { Session, type SessionSnapshot } from '../core/session.js'
import type { BrokerClient } from './broker-client.js'
import type { ClientInfo } from './hooks.js'
import type { Delivery } from './message.js'
import type { SessionEvents } from './session-events.js'
import type { Will } from './will.js'

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

export type SubscriptionSnapshot = Omit<Subscription, 'session' | 'topicFilter' | 'group'>

export interface BrokerSessionSnapshot {
  readonly clientId: string
  /** How long the session outlives its connection (ms): 0 = not at all, Infinity = forever. */
  readonly expiryMs: number
  /** When its client went away (epoch ms); 0 while it was connected. */
  readonly disconnectedAt: number
  readonly info: ClientInfo | undefined
  /** The will of its (last) connection, not yet published. */
  readonly will: Will | undefined
  /** When a delayed will is due (epoch ms); 0 = none pending. */
  readonly willDueAt: number
  readonly subscriptions: readonly SubscriptionSnapshot[]
  readonly messages: SessionSnapshot<Delivery>
}

export class BrokerSession {
  readonly subscriptions = new Map<string, Subscription>()
  /** Outbound QoS 1/2 messages and inbound QoS 2 ids. */
  readonly qos: Session<Delivery, BrokerSession>
  client: BrokerClient | undefined
  /** Who owned the session last (for read authorization while offline). */
  info: ClientInfo | undefined
  expiryMs = 0
  disconnectedAt = 0
  expiryTimer: unknown
  /** The will of the connection, published when it ends abnormally (cleared by a normal DISCONNECT). */
  will: Will | undefined
  willDueAt = 0
  willTimer: unknown
  /** Payload bytes of the messages queued (not in flight): kept by the Accounting listener. */
  queuedBytes = 0
  /** Set by the durable store while it tracks this session (its number in the store's records). */
  storeNo = 0
  // Scratch fields for one routing pass (dedupe of overlapping subscriptions without allocating).
  routeGen = 0
  routeQos: QoS = 0
  routeRetain = false
  routeSubIds: number[] | undefined = undefined

  constructor(readonly clientId: string, readonly events: SessionEvents, maxInflight: number, maxQueued: number) {
    this.qos = new Session<Delivery, BrokerSession>({ maxInflight, maxQueued, listener: events, owner: this, online: false })
  }

  /** Messages held for this client: queued behind the window or while offline. */
  get queuedCount(): number { return this.qos.queuedCount }

  /** Outlives its connection: what the durable store keeps. */
  get persistent(): boolean { return this.expiryMs > 0 }

  /** Add or replace the subscription to `sub.filter` [MQTT-3.8.4-3]; returns the one it replaced. */
  subscribe(sub: Subscription): Subscription | undefined {
    const old = this.subscriptions.get(sub.filter)
    this.subscriptions.set(sub.filter, sub)
    this.events.subscribed(this, sub, old)
    return old
  }

  unsubscribe(filter: string): Subscription | undefined {
    const sub = this.subscriptions.get(filter)
    if (!sub) return undefined
    this.subscriptions.delete(filter)
    this.events.unsubscribed(this, sub)
    return sub
  }

  /** Expiry, will, connection state or owner changed: the listener records it. */
  changed(): void { this.events.updated(this) }

  snapshot(): BrokerSessionSnapshot {
    return {
      clientId: this.clientId, expiryMs: this.expiryMs, disconnectedAt: this.disconnectedAt, info: this.info,
      will: this.will, willDueAt: this.willDueAt,
      subscriptions: [...this.subscriptions.values()].map(subscriptionSnapshot),
      messages: this.qos.snapshot(),
    }
  }

  /**
   * Load a snapshot into this new session. Subscriptions are returned for the router (with this session as
   * their owner); the listener hears `subscribed` and `held` for each, so counts are right from the start.
   */
  restore(s: BrokerSessionSnapshot, parseFilter: (filter: string) => { topicFilter: string; group: string | undefined }): Subscription[] {
    this.expiryMs = s.expiryMs
    this.disconnectedAt = s.disconnectedAt
    this.info = s.info
    this.will = s.will
    this.willDueAt = s.willDueAt
    const subs: Subscription[] = []
    for (const snap of s.subscriptions) {
      const sub: Subscription = { ...snap, session: this, ...parseFilter(snap.filter) }
      this.subscriptions.set(sub.filter, sub)
      this.events.subscribed(this, sub, undefined)
      subs.push(sub)
    }
    this.qos.restore(s.messages)
    return subs
  }
}

function subscriptionSnapshot(s: Subscription): SubscriptionSnapshot {
  return { filter: s.filter, qos: s.qos, noLocal: s.noLocal, retainAsPublished: s.retainAsPublished, retainHandling: s.retainHandling, id: s.id }
}
