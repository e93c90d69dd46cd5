// What the owners of broker state (each BrokerSession, the retained set) tell their one listener, and the
// listener that keeps the $SYS counts from those events: nothing else in the broker counts held messages.
// A durable store, when there is one, hears the same events after the counts are updated.
import type { Outbound, Release, SessionListener } from '../core/session.js'
import type { Delivery, Message } from './message.js'
import type { BrokerSession, Subscription } from './session.js'
import type { BrokerStats } from './stats.js'

export interface SessionEvents extends SessionListener<Delivery, BrokerSession> {
  /** A new session for a client id. */
  opened(s: BrokerSession): void
  /** Its expiry, will, connection state or owner changed. */
  updated(s: BrokerSession): void
  /** The session is gone (its messages were released first, as 'discarded'). */
  ended(s: BrokerSession): void
  subscribed(s: BrokerSession, sub: Subscription, replaced: Subscription | undefined): void
  unsubscribed(s: BrokerSession, sub: Subscription): void
}

export interface RetainedEvents {
  /** The retained message of `topic` is now `current` (undefined: cleared); it was `previous`. */
  retained(topic: string, current: Message | undefined, previous: Message | undefined): void
}

export interface BrokerEvents extends SessionEvents, RetainedEvents {}

/**
 * Keeps `storedMessages`/`storedBytes` (distinct messages held anywhere, as mosquitto's message store
 * counts them), each session's `queuedBytes` (for max_queued_bytes), `retainedCount` and the subscription
 * counts; then passes each event on to `next`.
 */
export class Accounting implements BrokerEvents {
  constructor(
    private readonly stats: BrokerStats,
    /** The delivery policy: true drops a message about to go in flight (expired, too large). */
    private readonly dropPolicy: (s: BrokerSession, e: Outbound<Delivery>) => boolean,
    /** The durable store, if any. */
    public next: BrokerEvents | undefined = undefined,
  ) {}

  hold(m: Message): void {
    if (m.refs++ === 0) {
      this.stats.storedMessages++
      this.stats.storedBytes += m.payload.length
      const p = m.payload
      // A payload decoded as a view of the socket's read buffer would keep all of it alive while held.
      if (p.buffer.byteLength > 2 * p.length + 64) m.payload = Buffer.from(p)
    }
  }

  release(m: Message): void {
    if (--m.refs === 0) {
      this.stats.storedMessages--
      this.stats.storedBytes -= m.payload.length
      const freed = m.freed
      if (freed !== undefined) { m.freed = undefined; freed() }
    }
  }

  held(s: BrokerSession, e: Outbound<Delivery>): void {
    this.hold(e.tag.message)
    if (e.state === 'queued') s.queuedBytes += e.tag.message.payload.length
    this.next?.held(s, e)
  }

  changed(s: BrokerSession, e: Outbound<Delivery>): void {
    if (e.state !== 'pubcomp') s.queuedBytes -= e.tag.message.payload.length // it left the queue for the window
    this.next?.changed(s, e)
  }

  released(s: BrokerSession, e: Outbound<Delivery>, why: Release): void {
    if (e.state === 'queued') s.queuedBytes -= e.tag.message.payload.length
    this.next?.released(s, e, why)
    this.release(e.tag.message)
  }

  inbound(s: BrokerSession, id: number, added: boolean): void { this.next?.inbound(s, id, added) }

  drop(s: BrokerSession, e: Outbound<Delivery>): boolean { return this.dropPolicy(s, e) }

  opened(s: BrokerSession): void { this.next?.opened(s) }
  updated(s: BrokerSession): void { this.next?.updated(s) }
  ended(s: BrokerSession): void { this.next?.ended(s) }

  subscribed(s: BrokerSession, sub: Subscription, replaced: Subscription | undefined): void {
    if (!replaced) {
      this.stats.subscriptionsCount++
      if (sub.group !== undefined) this.stats.sharedSubscriptionsCount++
    }
    this.next?.subscribed(s, sub, replaced)
  }

  unsubscribed(s: BrokerSession, sub: Subscription): void {
    this.stats.subscriptionsCount--
    if (sub.group !== undefined) this.stats.sharedSubscriptionsCount--
    this.next?.unsubscribed(s, sub)
  }

  retained(topic: string, current: Message | undefined, previous: Message | undefined): void {
    if (current) this.hold(current)
    this.stats.retainedCount += (current ? 1 : 0) - (previous ? 1 : 0)
    this.next?.retained(topic, current, previous)
    if (previous) this.release(previous)
  }
}
