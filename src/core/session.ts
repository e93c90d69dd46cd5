// The pure QoS 0/1/2 state machine shared by the client and the broker: packets in, actions out.
// No sockets, no timers, no clock (as rumqttc's state.rs), so resend and duplicate rules are unit-tested.
import type { PublishPacket, PubackPacket, PubrecPacket, PubrelPacket, PubcompPacket, Packet } from '../codec/index.js'
import { puback, pubrec, pubrel, pubcomp } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import { PacketIdAllocator } from './packet-ids.js'

export type Action<T = unknown> =
  | { kind: 'send'; packet: Packet }
  /** An inbound PUBLISH to hand to the application (client) or the router (broker). */
  | { kind: 'deliver'; message: PublishPacket }
  /** An outbound QoS>0 publish is finished (acknowledged, or refused with a reason code >= 0x80). */
  | { kind: 'settled'; messageId: number; reasonCode: number; tag: T; reasonString?: string }

type OutState = 'puback' | 'pubrec' | 'pubcomp'
interface Outgoing<T> { packet: PublishPacket; state: OutState; tag: T }
interface Queued<T> { packet: PublishPacket; tag: T }

export interface SessionOptions {
  /** How many QoS>0 publishes may await acknowledgement at once (0 = unlimited). */
  maxInflight?: number
  /** How many publishes may wait behind a full window (0 = unlimited); beyond that `publish` drops. */
  maxQueued?: number
}

export class Session<T = unknown> {
  readonly ids = new PacketIdAllocator()
  /** Our QoS>0 publishes awaiting PUBACK / PUBREC / PUBCOMP, in send order. */
  readonly #inflight = new Map<number, Outgoing<T>>()
  /** Publishes waiting for a free inflight slot. */
  readonly #queue: Queued<T>[] = []
  /** Their QoS 2 ids: PUBREC sent, PUBREL not yet seen. */
  readonly #awaitingRel = new Set<number>()
  maxInflight: number
  maxQueued: number

  constructor(opts: SessionOptions = {}) {
    this.maxInflight = opts.maxInflight ?? 0
    this.maxQueued = opts.maxQueued ?? 0
  }

  get inflightCount(): number { return this.#inflight.size }
  get queuedCount(): number { return this.#queue.length }

  /**
   * Send a publish of ours. QoS 0 goes straight out; QoS 1/2 get a packet id and enter the inflight
   * window, or wait in the queue behind it. Returns the actions to perform, or null when the queue is
   * full and the message was dropped.
   */
  publish(packet: PublishPacket, tag: T): Action<T>[] | null {
    if (packet.qos === 0) return [{ kind: 'send', packet }]
    if (this.#windowFull() || this.#queue.length > 0) {
      if (this.maxQueued > 0 && this.#queue.length >= this.maxQueued) return null
      this.#queue.push({ packet, tag })
      return []
    }
    return this.#start(packet, tag)
  }

  /** Inbound PUBLISH from the peer. A QoS 2 resend is re-acknowledged, never re-delivered. */
  onPublish(p: PublishPacket): Action<T>[] {
    if (p.qos === 0) return [{ kind: 'deliver', message: p }]
    const id = p.messageId!
    if (p.qos === 1) return [{ kind: 'deliver', message: p }, { kind: 'send', packet: puback(id) }]
    if (this.#awaitingRel.has(id)) return [{ kind: 'send', packet: pubrec(id) }] // [MQTT-4.3.3-9]
    this.#awaitingRel.add(id)
    return [{ kind: 'deliver', message: p }, { kind: 'send', packet: pubrec(id) }]
  }

  onPubrel(p: PubrelPacket): Action<T>[] {
    const known = this.#awaitingRel.delete(p.messageId!)
    return [{ kind: 'send', packet: pubcomp(p.messageId!, known ? undefined : RC.PACKET_ID_NOT_FOUND) }]
  }

  onPuback(p: PubackPacket): Action<T>[] {
    const out = this.#inflight.get(p.messageId!)
    if (!out || out.state !== 'puback') return []
    return this.#settle(p.messageId!, p.reasonCode ?? 0, p.properties?.reasonString)
  }

  onPubrec(p: PubrecPacket): Action<T>[] {
    const id = p.messageId!
    const out = this.#inflight.get(id)
    if (!out) return [{ kind: 'send', packet: pubrel(id, RC.PACKET_ID_NOT_FOUND) }]
    if (out.state === 'pubcomp') return [{ kind: 'send', packet: pubrel(id) }]
    if (out.state !== 'pubrec') return []
    const rc = p.reasonCode ?? 0
    if (rc >= 0x80) return this.#settle(id, rc, p.properties?.reasonString) // [MQTT-4.3.3-4]: no PUBREL
    out.state = 'pubcomp'
    return [{ kind: 'send', packet: pubrel(id) }]
  }

  onPubcomp(p: PubcompPacket): Action<T>[] {
    const out = this.#inflight.get(p.messageId!)
    if (!out || out.state !== 'pubcomp') return []
    return this.#settle(p.messageId!, p.reasonCode ?? 0, p.properties?.reasonString)
  }

  /**
   * After a reconnect with a resumed session: resend what is unacknowledged, in order
   * (PUBLISH with DUP for those awaiting PUBACK/PUBREC, PUBREL for those awaiting PUBCOMP) [MQTT-4.4.0-1].
   */
  resend(): Action<T>[] {
    const actions: Action<T>[] = []
    for (const [id, out] of this.#inflight) {
      if (out.state === 'pubcomp') actions.push({ kind: 'send', packet: pubrel(id) })
      else {
        out.packet = { ...out.packet, dup: true }
        actions.push({ kind: 'send', packet: out.packet })
      }
    }
    return actions
  }

  /** Forget the peer's half-finished QoS 2 flows (a clean session starts over). */
  clearInbound(): void { this.#awaitingRel.clear() }

  /** Everything still owed to the peer, in order: inflight first, then queued (for session persistence). */
  pending(): { packet: PublishPacket; tag: T; state?: OutState }[] {
    return [
      ...[...this.#inflight.values()].map((o) => ({ packet: o.packet, tag: o.tag, state: o.state })),
      ...this.#queue.map((q) => ({ packet: q.packet, tag: q.tag })),
    ]
  }

  /** Drop a queued message from the front (e.g. expired); returns it. */
  dropQueued(predicate: (p: PublishPacket, tag: T) => boolean): Queued<T>[] {
    const dropped: Queued<T>[] = []
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const q = this.#queue[i]!
      if (predicate(q.packet, q.tag)) dropped.push(...this.#queue.splice(i, 1))
    }
    return dropped
  }

  #windowFull(): boolean {
    return this.maxInflight > 0 && this.#inflight.size >= this.maxInflight
  }

  #start(packet: PublishPacket, tag: T): Action<T>[] {
    const id = this.ids.allocate()
    if (id === undefined) { // all 65535 ids busy: wait in the queue
      this.#queue.unshift({ packet, tag })
      return []
    }
    const sent: PublishPacket = { ...packet, messageId: id }
    this.#inflight.set(id, { packet: sent, state: packet.qos === 1 ? 'puback' : 'pubrec', tag })
    return [{ kind: 'send', packet: sent }]
  }

  #settle(id: number, reasonCode: number, reasonString?: string): Action<T>[] {
    const out = this.#inflight.get(id)!
    this.#inflight.delete(id)
    this.ids.release(id)
    const actions: Action<T>[] = [{ kind: 'settled', messageId: id, reasonCode, tag: out.tag, ...(reasonString !== undefined ? { reasonString } : {}) }]
    while (!this.#windowFull() && this.#queue.length > 0) {
      const next = this.#queue.shift()!
      const started = this.#start(next.packet, next.tag)
      if (started.length === 0) break
      actions.push(...started)
    }
    return actions
  }
}
