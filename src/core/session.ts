// The pure QoS 1/2 state machine shared by the client and the broker, and the one owner of a session's
// messages: outbound ones in flight and queued (also while the peer is offline) and the inbound QoS 2 ids.
// Packets in, actions out; no sockets, no timers, no clock (as rumqttc's state.rs), so resend, duplicate and
// window rules are unit-tested. A listener hears when a message becomes held, changes state or is released
// (stats and the durable store count nothing themselves), and snapshot()/restore() carry it across restarts.
import type { PublishPacket, PubackPacket, PubrecPacket, PubrelPacket, PubcompPacket, Packet } from '../codec/index.js'
import { puback, pubrec, pubrel, pubcomp } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import { ProtocolError } from './errors.js'
import { InboundAcks, type InboundAck } from './inbound-acks.js'
import { PacketIdAllocator } from './packet-ids.js'

/** queued: waiting for the window (or the peer); puback/pubrec: sent, awaiting that ack; pubcomp: PUBREL sent. */
export type OutState = 'queued' | 'puback' | 'pubrec' | 'pubcomp'

/** One outbound QoS 1/2 message owed to the peer. */
export interface Outbound<T> {
  /** What the owner sends: the client's packet and waiter, the broker's routed delivery. */
  readonly tag: T
  readonly qos: 1 | 2
  /** The entry's identity within its session (snapshots, the durable store); increases with each message. */
  readonly seq: number
  /** Packet identifier while in flight; 0 while queued. */
  id: number
  state: OutState
}

export type Action<T> =
  /** An acknowledgement or PUBREL to send. */
  | { kind: 'send'; packet: Packet }
  /** Send the PUBLISH of `entry` with packet id `entry.id` (the owner builds it; `dup` on a resend). */
  | { kind: 'publish'; entry: Outbound<T>; dup: boolean }
  /** An inbound PUBLISH to hand to the application (client) or the router (broker); `ack` with manualAck. */
  | { kind: 'deliver'; message: PublishPacket; ack?: InboundAck }
  /** An outbound publish is finished: acknowledged, or refused with a reason code >= 0x80. */
  | { kind: 'settled'; entry: Outbound<T>; reasonCode: number; reasonString?: string }

/** Why a message left the session. */
export type Release = 'acked' | 'refused' | 'dropped' | 'discarded'

/** Hears what happens to the messages of every session it is given to; `owner` says which session. */
export interface SessionListener<T, O> {
  held(owner: O, e: Outbound<T>): void
  /** The entry went in flight (got its id) or moved on to awaiting PUBCOMP. */
  changed(owner: O, e: Outbound<T>): void
  released(owner: O, e: Outbound<T>, why: Release): void
  /** An inbound QoS 2 id was recorded (PUBREC sent) or completed (PUBREL received). */
  inbound(owner: O, id: number, added: boolean): void
  /** Asked as a message is about to go in flight: true drops it instead (expired, too large for the peer). */
  drop?(owner: O, e: Outbound<T>): boolean
}

export interface SessionOptions<T, O> {
  /** How many QoS>0 publishes may await acknowledgement at once (0 = unlimited). */
  maxInflight?: number
  /** How many publishes may wait behind a full window or for an offline peer (0 = unlimited). */
  maxQueued?: number
  listener?: SessionListener<T, O>
  owner?: O
  /** Default true; an offline session queues everything and sends nothing until resume(). */
  online?: boolean
  /** Inbound QoS 1/2 are acknowledged only when ack() is called for them (see inbound-acks.ts). */
  manualAck?: boolean
}

export interface OutboundSnapshot<T> { readonly tag: T; readonly qos: 1 | 2; readonly seq: number; readonly id: number; readonly state: OutState }

export interface SessionSnapshot<T> {
  /** In flight first (send order), then queued (arrival order). */
  readonly outbound: readonly OutboundSnapshot<T>[]
  /** Inbound QoS 2 ids awaiting PUBREL. */
  readonly inbound: readonly number[]
}

/** Shared, never written: see Session's collections. */
const NONE_IN_FLIGHT = new Map<number, never>()
const NONE_QUEUED: never[] = []
const NONE_AWAITING = new Set<number>()

export class Session<T = unknown, O = undefined> {
  readonly ids = new PacketIdAllocator()
  maxInflight: number
  maxQueued: number
  /** The peer is connected: messages may be sent. */
  online: boolean
  // The three collections start as shared empty ones and get their own on the first write: most sessions
  // of an idle broker never hold a message, and three empty collections cost ~300 bytes each connection.
  /** In flight, in send order. */
  #inflight: Map<number, Outbound<T>> = NONE_IN_FLIGHT
  #queue: Outbound<T>[] = NONE_QUEUED
  /** Inbound QoS 2 ids: PUBREC sent, PUBREL not yet seen. */
  #awaitingRel: Set<number> = NONE_AWAITING
  readonly #listener: SessionListener<T, O> | undefined
  readonly #owner: O
  /** manualAck: delivered messages the application has not acknowledged yet. */
  readonly #acks: InboundAcks | undefined
  #seq = 0

  constructor(opts: SessionOptions<T, O> = {}) {
    this.maxInflight = opts.maxInflight ?? 0
    this.maxQueued = opts.maxQueued ?? 0
    this.online = opts.online ?? true
    this.#listener = opts.listener
    this.#owner = opts.owner as O
    this.#acks = opts.manualAck ? new InboundAcks() : undefined
  }

  get inflightCount(): number { return this.#inflight.size }
  get queuedCount(): number { return this.#queue.length }
  /** Inbound QoS 2 flows not yet completed by PUBREL (they count against our Receive Maximum). */
  get inboundCount(): number { return this.#awaitingRel.size }
  hasInbound(id: number): boolean { return this.#awaitingRel.has(id) }
  inboundIds(): IterableIterator<number> { return this.#awaitingRel.values() }

  /**
   * Send a QoS 1/2 publish of ours: it gets a packet id and enters the window, or waits in the queue
   * behind it (or for the peer). Returns the actions to perform, or null when the queue is full and the
   * message was not taken.
   */
  publish(tag: T, qos: 1 | 2): Action<T>[] | null {
    const mustWait = !this.online || this.#windowFull() || this.#queue.length > 0
    if (mustWait && this.maxQueued > 0 && this.#queue.length >= this.maxQueued) return null
    const e: Outbound<T> = { tag, qos, seq: ++this.#seq, id: 0, state: 'queued' }
    this.#listener?.held(this.#owner, e)
    if (mustWait) {
      this.#queued().push(e)
      return []
    }
    const out: Action<T>[] = []
    if (!this.#start(e, out)) this.#queued().unshift(e)
    return out
  }

  /** Inbound PUBLISH from the peer. A QoS 2 resend is acknowledged again, never delivered again [MQTT-4.3.3-9]. */
  onPublish(p: PublishPacket): Action<T>[] {
    if (p.qos === 0) return [{ kind: 'deliver', message: p }]
    const id = p.messageId!
    if (p.qos === 2 && this.#awaitingRel.has(id)) return [{ kind: 'send', packet: pubrec(id) }]
    if (this.#acks) {
      // Still with the application: a resend (after a reconnect) is the same message, not a new one.
      if (this.#acks.has(id)) return []
      return [{ kind: 'deliver', message: p, ack: this.#acks.add(id, p.qos) }]
    }
    if (p.qos === 1) return [{ kind: 'deliver', message: p }, { kind: 'send', packet: puback(id) }]
    this.#recordInbound(id)
    return [{ kind: 'deliver', message: p }, { kind: 'send', packet: pubrec(id) }]
  }

  /** manualAck: the application has handled this message; returns the acknowledgements that may leave now. */
  ack(a: InboundAck): Action<T>[] {
    if (!this.#acks) return []
    return this.#ackPackets(this.#acks.ack(a, this.online))
  }

  #ackPackets(ready: InboundAck[]): Action<T>[] {
    return ready.map((a) => {
      if (a.qos === 1) return { kind: 'send', packet: puback(a.id) }
      this.#recordInbound(a.id)
      return { kind: 'send', packet: pubrec(a.id) }
    })
  }

  #recordInbound(id: number): void {
    if (this.#awaitingRel === NONE_AWAITING) this.#awaitingRel = new Set()
    this.#awaitingRel.add(id)
    this.#listener?.inbound(this.#owner, id, true)
  }

  onPubrel(p: PubrelPacket): Action<T>[] {
    const id = p.messageId!
    const known = this.#awaitingRel.delete(id)
    if (known) this.#listener?.inbound(this.#owner, id, false)
    return [{ kind: 'send', packet: pubcomp(id, known ? undefined : RC.PACKET_ID_NOT_FOUND) }]
  }

  onPuback(p: PubackPacket): Action<T>[] {
    const e = this.#inflight.get(p.messageId!)
    if (!e) return [] // unknown id (e.g. a late ack after a resend): nothing to settle
    if (e.qos !== 1) throw new ProtocolError(RC.PROTOCOL_ERROR, 'PUBACK for a QoS 2 message') // MQTT 5 §4.13.1 (protocol error)
    return this.#settle(e, p.reasonCode ?? 0, p.properties?.reasonString)
  }

  onPubrec(p: PubrecPacket): Action<T>[] {
    const id = p.messageId!
    const e = this.#inflight.get(id)
    if (!e) return [{ kind: 'send', packet: pubrel(id, RC.PACKET_ID_NOT_FOUND) }]
    if (e.qos !== 2) throw new ProtocolError(RC.PROTOCOL_ERROR, 'PUBREC for a QoS 1 message') // MQTT 5 §4.13.1
    if (e.state === 'pubcomp') return [{ kind: 'send', packet: pubrel(id) }] // a repeated PUBREC
    const rc = p.reasonCode ?? 0
    if (rc >= 0x80) return this.#settle(e, rc, p.properties?.reasonString) // [MQTT-4.3.3-4]: no PUBREL
    e.state = 'pubcomp'
    this.#listener?.changed(this.#owner, e)
    return [{ kind: 'send', packet: pubrel(id) }]
  }

  onPubcomp(p: PubcompPacket): Action<T>[] {
    const e = this.#inflight.get(p.messageId!)
    if (!e) return []
    if (e.qos !== 2) throw new ProtocolError(RC.PROTOCOL_ERROR, 'PUBCOMP for a QoS 1 message') // MQTT 5 §4.13.1
    if (e.state !== 'pubcomp') throw new ProtocolError(RC.PROTOCOL_ERROR, 'PUBCOMP before PUBREL')
    return this.#settle(e, p.reasonCode ?? 0, p.properties?.reasonString)
  }

  /**
   * The peer is (back) online: resend what is unacknowledged, in order — PUBLISH with DUP for those
   * awaiting PUBACK/PUBREC, PUBREL for those awaiting PUBCOMP [MQTT-4.4.0-1] — then fill the window.
   *
   * `present` false (CONNACK session present 0 after a reconnect): the peer starts a new session, so
   * nothing is a resend. Messages it never acknowledged are sent again as new ones (DUP 0), in order, as
   * libmosquitto does; a QoS 2 message it already answered with PUBREC was taken by the peer and is settled
   * here (a PUBREL would only get "packet identifier not found"); its QoS 2 ids and the application's
   * pending acknowledgements belong to the old session and are forgotten.
   */
  resume(present = true): Action<T>[] {
    this.online = true
    const out: Action<T>[] = []
    if (!present) {
      this.clearInbound()
      this.#acks?.clear()
    } else if (this.#acks) {
      out.push(...this.#ackPackets(this.#acks.ready()))
    }
    for (const e of [...this.#inflight.values()]) {
      if (e.state === 'pubcomp') {
        if (present) out.push({ kind: 'send', packet: pubrel(e.id) })
        else out.push(this.#release(e, 0))
      } else {
        out.push({ kind: 'publish', entry: e, dup: present })
      }
    }
    this.#fill(out)
    return out
  }

  /** The peer went away: keep everything, send nothing until resume(). */
  suspend(): void { this.online = false }

  /** Forget the peer's half-finished QoS 2 flows (a clean session starts over). */
  clearInbound(): void {
    for (const id of this.#awaitingRel) this.#listener?.inbound(this.#owner, id, false)
    this.#awaitingRel.clear()
  }

  /** The session ends: release every message (listener: 'discarded'). Returns the entries, in order. */
  discard(): Outbound<T>[] {
    const all = [...this.#inflight.values(), ...this.#queue]
    this.#inflight.clear()
    this.#queue.length = 0
    for (const e of all) {
      if (e.id !== 0) this.ids.release(e.id)
      this.#listener?.released(this.#owner, e, 'discarded')
    }
    this.clearInbound()
    return all
  }

  /** Everything still owed to the peer, in order: in flight first, then queued. */
  pending(): Outbound<T>[] { return [...this.#inflight.values(), ...this.#queue] }

  snapshot(): SessionSnapshot<T> {
    const entry = (e: Outbound<T>): OutboundSnapshot<T> => ({ tag: e.tag, qos: e.qos, seq: e.seq, id: e.id, state: e.state })
    return { outbound: this.pending().map(entry), inbound: [...this.#awaitingRel] }
  }

  /** Load a snapshot into this (empty) session; the listener hears `held` for each message. */
  restore(s: SessionSnapshot<T>): void {
    for (const o of s.outbound) {
      const e: Outbound<T> = { tag: o.tag, qos: o.qos, seq: o.seq, id: o.state === 'queued' ? 0 : o.id, state: o.state }
      if (o.seq > this.#seq) this.#seq = o.seq
      if (e.id !== 0 && !this.ids.has(e.id)) {
        this.ids.reserve(e.id)
        this.#inFlight().set(e.id, e)
      } else {
        e.id = 0
        e.state = 'queued'
        this.#queued().push(e)
      }
      this.#listener?.held(this.#owner, e)
    }
    if (s.inbound.length > 0 && this.#awaitingRel === NONE_AWAITING) this.#awaitingRel = new Set()
    for (const id of s.inbound) this.#awaitingRel.add(id)
  }

  /**
   * An in-flight message its owner cannot send on this connection (over the peer's new Maximum Packet Size):
   * released as 'dropped', its id freed. Returns the actions that refill the window.
   */
  abandon(e: Outbound<T>): Action<T>[] {
    if (this.#inflight.get(e.id) !== e) return []
    this.#inflight.delete(e.id)
    this.ids.release(e.id)
    this.#listener?.released(this.#owner, e, 'dropped')
    const out: Action<T>[] = []
    this.#fill(out)
    return out
  }

  /** Remove queued messages for which `predicate` holds (released as 'dropped'); returns them. */
  dropQueued(predicate: (tag: T) => boolean): Outbound<T>[] {
    const dropped: Outbound<T>[] = []
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const e = this.#queue[i]!
      if (!predicate(e.tag)) continue
      this.#queue.splice(i, 1)
      dropped.unshift(e)
    }
    for (const e of dropped) this.#listener?.released(this.#owner, e, 'dropped')
    return dropped
  }

  #inFlight(): Map<number, Outbound<T>> {
    if (this.#inflight === NONE_IN_FLIGHT) this.#inflight = new Map()
    return this.#inflight
  }

  #queued(): Outbound<T>[] {
    if (this.#queue === NONE_QUEUED) this.#queue = []
    return this.#queue
  }

  #windowFull(): boolean {
    return this.maxInflight > 0 && this.#inflight.size >= this.maxInflight
  }

  /** Put `e` in flight (or drop it); false when no packet id is free and it must keep waiting. */
  #start(e: Outbound<T>, out: Action<T>[]): boolean {
    if (this.#listener?.drop?.(this.#owner, e)) {
      this.#listener?.released(this.#owner, e, 'dropped')
      return true
    }
    const id = this.ids.allocate()
    if (id === undefined) return false // all 65535 ids busy
    e.id = id
    e.state = e.qos === 1 ? 'puback' : 'pubrec'
    this.#inFlight().set(id, e)
    this.#listener?.changed(this.#owner, e)
    out.push({ kind: 'publish', entry: e, dup: false })
    return true
  }

  /** Move queued messages into the window while there is room. */
  #fill(out: Action<T>[]): void {
    while (this.online && !this.#windowFull() && this.#queue.length > 0) {
      const e = this.#queue.shift()!
      if (!this.#start(e, out)) { this.#queued().unshift(e); break }
    }
  }

  #settle(e: Outbound<T>, reasonCode: number, reasonString?: string): Action<T>[] {
    const out: Action<T>[] = [this.#release(e, reasonCode, reasonString)]
    this.#fill(out)
    return out
  }

  #release(e: Outbound<T>, reasonCode: number, reasonString?: string): Action<T> {
    this.#inflight.delete(e.id)
    this.ids.release(e.id)
    this.#listener?.released(this.#owner, e, reasonCode >= 0x80 ? 'refused' : 'acked')
    return { kind: 'settled', entry: e, reasonCode, ...(reasonString !== undefined ? { reasonString } : {}) }
  }
}
