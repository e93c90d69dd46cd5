// A promise-based MQTT client: the handle every CLI (and the bridge) uses. It owns the session — one core
// Session for the client's whole life, so QoS 1/2 state survives reconnects — and leaves connections to the
// ConnectionLoop. It never prints or exits.
import { orderIsAmbiguous, publishWireProperties, type ReceivedPublish } from '../codec/index.js'
import type {
  ConnackPacket, DisconnectProperties, Packet, PublishPacket, PublishProperties, QoS, SubackPacket, Subscription,
  SubscribeProperties, UnsubackPacket,
} from '../codec/index.js'
import { disconnect as disconnectPacket } from '../codec/packets.js'
import { parseBrokerUrl, type Endpoint } from '../core/endpoint.js'
import { ConnectionClosedError, PacketTooLargeError, ProtocolError } from '../core/errors.js'
import type { InboundAck } from '../core/inbound-acks.js'
import { Session, type Action } from '../core/session.js'
import { ConnectionLoop } from './connection-loop.js'
import { MessageStream } from './message-stream.js'
import type { Link } from './link.js'
import { resolveClientOptions, type ClientOptions, type ResolvedClientOptions } from './options.js'

export type { ClientOptions, ReconnectOptions } from './options.js'

export interface PublishOptions { qos?: QoS; retain?: boolean; properties?: PublishProperties }
export interface PublishResult { messageId: number; reasonCode: number; reasonString?: string }
/** publishMany(): the messages that failed on their own (too large for the server), by index; the rest went. */
export interface PublishManyResult { failed: { index: number; error: Error }[] }
export type UnsubscribeProperties = { userProperties?: Record<string, string | string[]> }

interface Waiter<T> { resolve(v: T): void; reject(e: Error): void }
/** An outbound QoS 1/2 publish: the packet (its id is the session's) and who waits for its acknowledgement. */
interface Outgoing extends Waiter<PublishResult> { packet: PublishPacket }

/**
 * Connect and wait for the first successful CONNACK; rejects if that first attempt fails (with reconnect
 * on, later drops are retried). `url`: mqtt://, mqtts://, ws://, wss://, unix:// (or an Endpoint).
 */
export async function connect(url: string | Endpoint, options: ClientOptions = {}): Promise<Client> {
  const client = new Client(url, options)
  await client.start(false)
  return client
}

/** A client that keeps trying from the start (reconnect on): for long-lived links such as a bridge. */
export function createClient(url: string | Endpoint, options: ClientOptions = {}): Client {
  const client = new Client(url, { reconnect: true, ...options })
  client.start(true).catch(() => {}) // the outcome is client.closed
  return client
}

/**
 * An outgoing message's PUBLISH with its session id and DUP flag, as a new object (the session's stays as it
 * is); written out field by field: a spread copy was 11 % of `tspub -l -q 1`'s time.
 */
function withId(p: PublishPacket, messageId: number, dup: boolean): PublishPacket {
  const out: PublishPacket = { cmd: 'publish', topic: p.topic, payload: p.payload, qos: p.qos, retain: p.retain, dup, messageId }
  if (p.properties !== undefined) out.properties = p.properties
  return out
}

export class Client {
  /** The CONNACK of the current (or last) connection. */
  connack: ConnackPacket | undefined
  clientId: string
  /** Settles once the client is finished for good: undefined after disconnect(), else why. */
  readonly closed: Promise<Error | undefined>
  readonly #o: ResolvedClientOptions
  readonly #session: Session<Outgoing>
  readonly #loop: ConnectionLoop
  readonly #acks = new Map<number, Waiter<SubackPacket> | Waiter<UnsubackPacket>>()
  readonly #ackHandles = new WeakMap<PublishPacket, InboundAck>()
  /** QoS 0 publishes made while reconnecting; written once connected again. */
  readonly #offline: { packet: PublishPacket; mid: number; done: Waiter<PublishResult> }[] = []
  #onMessage: ((msg: PublishPacket) => void) | undefined
  #onConnect: ((connack: ConnackPacket) => void) | undefined
  /** Messages that arrived before a handler was set (a resumed session delivers right after CONNACK). */
  #early: PublishPacket[] = []
  #link: Link | undefined
  #paused = false
  #started: Promise<void> | undefined
  #finished: Error | undefined | null = null
  #resolveClosed!: (e: Error | undefined) => void

  constructor(url: string | Endpoint, options: ClientOptions = {}) {
    const endpoint = typeof url === 'string' ? parseBrokerUrl(url) : url
    this.#o = resolveClientOptions(endpoint, options)
    this.clientId = this.#o.clientId
    this.#session = new Session({ maxInflight: this.#o.maxInflight, online: false, manualAck: this.#o.manualAck })
    this.closed = new Promise((resolve) => { this.#resolveClosed = resolve })
    this.#loop = new ConnectionLoop(this.#o, {
      connected: (link, connack) => this.#connected(link, connack),
      packet: (p, raw) => this.#onPacket(p, raw),
      lost: (reason) => this.#lost(reason),
      finished: (reason) => this.#finish(reason),
    }, () => this.#logId)
  }

  /** Start the connection loop (once); settles at the first CONNACK (see connect() and createClient()). */
  start(retryFirst: boolean): Promise<void> {
    this.#started ??= this.#loop.start(retryFirst)
    return this.#started
  }

  get connected(): boolean { return this.#link !== undefined }

  /** Inbound publishes (QoS handled inside). Messages that came before the handler are handed over on set. */
  set onMessage(handler: (msg: PublishPacket) => void) {
    this.#onMessage = handler
    const early = this.#early
    this.#early = []
    for (const m of early) handler(m)
  }

  /** Called after every successful CONNACK, the current one at once if connected (e.g. to subscribe again). */
  set onConnect(handler: (connack: ConnackPacket) => void) {
    this.#onConnect = handler
    if (this.#link && this.connack) handler(this.connack)
  }

  /** Every inbound message, in order, until the client is finished. One consumer at a time. */
  messages(): AsyncIterableIterator<PublishPacket> {
    const stream = new MessageStream<PublishPacket>()
    this.onMessage = (m) => stream.push(m)
    void this.closed.then((e) => stream.end(e))
    return stream
  }

  /** manualAck: `message` is handled; its PUBACK/PUBREC leaves now (in arrival order). */
  ack(message: PublishPacket): void {
    const handle = this.#ackHandles.get(message)
    if (!handle) return
    this.#ackHandles.delete(message)
    this.#run(this.#session.ack(handle))
  }

  /** Resolves after PUBACK / PUBCOMP for QoS 1/2 (with the v5 reason code), after the write for QoS 0. */
  publish(topic: string, payload: Buffer | string, o: PublishOptions = {}): Promise<PublishResult> {
    const qos = o.qos ?? 0
    const link = this.#link
    if (qos === 0 && link && this.#finished === null && !(o.properties && this.#o.protocolVersion === 5)) {
      // Connected, no properties: into the link's batch of this tick, one flush promise shared by all of it.
      try {
        // libmosquitto gives QoS 0 publishes a mid too; show it in -d lines.
        const mid = this.#session.ids.nextFree()
        const tooLarge = link.publishQos0(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, o.retain ?? false, mid)
        if (tooLarge) return Promise.reject(tooLarge)
        return link.flushed().then(() => ({ messageId: mid, reasonCode: 0 }))
      } catch (e) {
        return Promise.reject(e)
      }
    }
    const packet: PublishPacket = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: o.retain ?? false, dup: false }
    if (o.properties && this.#o.protocolVersion === 5) packet.properties = o.properties
    return new Promise((resolve, reject) => {
      if (this.#finished !== null) return reject(this.#finished ?? new ConnectionClosedError())
      if (qos === 0) {
        // libmosquitto gives QoS 0 publishes a mid too; show it in -d lines.
        const mid = this.#session.ids.nextFree()
        if (this.#link) this.#sendQos0(this.#link, packet, mid, { resolve, reject })
        else this.#offline.push({ packet, mid, done: { resolve, reject } })
        return
      }
      const actions = this.#session.publish({ packet, resolve, reject }, qos)
      if (actions === null) return reject(new ProtocolError(0x97, 'Too many messages queued'))
      this.#run(actions)
    })
  }

  /**
   * QoS 0 publishes of `payloads` to `topic`, in order: what publish() does for each, with one answer for all,
   * once every one was written (no promise per message). Each payload is copied before the next is taken, so
   * an iterator may hand out one buffer rewritten each time. A message that fails on its own (too large for
   * the server) is in `failed`; the promise rejects, as publish() would for each, when the client is finished.
   */
  publishMany(topic: string, payloads: Iterable<Buffer>, o: Omit<PublishOptions, 'qos'> = {}): Promise<PublishManyResult> {
    const result: PublishManyResult = { failed: [] }
    const link = this.#link
    let index = 0
    if (!link || this.#finished !== null || (o.properties && this.#o.protocolVersion === 5)) {
      // Offline, finished or with properties: publish() each (what those paths need), answered together.
      return new Promise((resolve, reject) => {
        let open = 1 // the loop itself
        const settled = () => { if (--open === 0) resolve(result) }
        for (const payload of payloads) {
          const at = index++
          open++
          this.publish(topic, payload, { ...o, qos: 0 }).then(settled, (error: Error) => {
            if (error instanceof PacketTooLargeError) { result.failed.push({ index: at, error }); settled() } else reject(error)
          })
        }
        settled()
      })
    }
    const retain = o.retain ?? false
    for (const payload of payloads) {
      try {
        const tooLarge = link.publishQos0(topic, payload, retain, this.#session.ids.nextFree())
        if (tooLarge) result.failed.push({ index, error: tooLarge })
      } catch (e) {
        result.failed.push({ index, error: e instanceof Error ? e : new Error(String(e)) })
      }
      index++
    }
    return link.flushed().then(() => result)
  }

  subscribe(subs: Subscription[] | string, properties?: SubscribeProperties): Promise<SubackPacket> {
    const subscriptions = typeof subs === 'string' ? [{ topic: subs, qos: 0 as QoS }] : subs
    return this.#request<SubackPacket>((messageId) => ({
      cmd: 'subscribe', messageId, subscriptions,
      ...(properties && this.#o.protocolVersion === 5 ? { properties } : {}),
    }))
  }

  unsubscribe(topics: string[], properties?: UnsubscribeProperties): Promise<UnsubackPacket> {
    return this.#request<UnsubackPacket>((messageId) => ({
      cmd: 'unsubscribe', messageId, unsubscriptions: topics,
      ...(properties && this.#o.protocolVersion === 5 ? { properties } : {}),
    }))
  }

  /** Send DISCONNECT (v5: with reason code and properties) if connected, flush, close; no reconnect follows. */
  async disconnect(reasonCode?: number, properties?: DisconnectProperties): Promise<void> {
    const p = disconnectPacket(this.#o.protocolVersion === 5 ? reasonCode : undefined)
    const props = properties ?? this.#o.disconnectProperties
    if (props && this.#o.protocolVersion === 5) p.properties = { ...p.properties, ...props }
    await this.#loop.end(p)
    await this.closed
  }

  /**
   * Close the connection without DISCONNECT, once what is queued has been written, so the broker publishes the
   * will (MQTT 3.1.1's only way to ask for it; a bridge stopping, as mosquitto's does). No reconnect follows.
   */
  async close(): Promise<void> {
    await this.#loop.end()
    await this.closed
  }

  /** Stop reading from the broker (e.g. while stdout drains); TCP flow control then slows the broker down. */
  pause(): void { this.#paused = true; this.#link?.stream.pause() }
  resume(): void { this.#paused = false; this.#link?.stream.resume() }

  destroy(): void { this.#loop.destroy() }

  get #logId(): string { return this.clientId === '' ? '(null)' : this.clientId }

  #connected(link: Link, connack: ConnackPacket): void {
    this.#link = link
    this.connack = connack
    const assigned = connack.properties?.assignedClientIdentifier
    if (assigned) this.clientId = assigned
    const serverMax = connack.properties?.receiveMaximum
    const ours = this.#o.maxInflight
    this.#session.maxInflight = serverMax !== undefined && (ours === 0 || serverMax < ours) ? serverMax : ours
    if (this.#paused) link.stream.pause()
    // A reconnect resumes the session: resend what is unacknowledged before anything new (as rumqttc).
    this.#run(this.#session.resume(connack.sessionPresent === true))
    for (const q of this.#offline.splice(0)) this.#sendQos0(link, q.packet, q.mid, q.done)
    this.#onConnect?.(connack)
  }

  #lost(reason: Error | undefined): void {
    this.#link = undefined
    this.#session.suspend()
    // SUBACK/UNSUBACK waiters belong to the connection that is gone.
    const err = reason ?? new ConnectionClosedError()
    for (const [id, w] of this.#acks) { this.#session.ids.release(id); w.reject(err) }
    this.#acks.clear()
  }

  #finish(reason: Error | undefined): void {
    this.#link = undefined
    this.#finished = reason
    const err = reason ?? new ConnectionClosedError()
    for (const w of this.#acks.values()) w.reject(err)
    this.#acks.clear()
    for (const q of this.#offline.splice(0)) q.done.reject(err)
    for (const { tag } of this.#session.discard()) tag.reject(err)
    this.#resolveClosed(reason)
  }

  #sendQos0(link: Link, packet: PublishPacket, mid: number, done: Waiter<PublishResult>): void {
    const tooLarge = link.publish(packet, mid)
    if (tooLarge) return done.reject(tooLarge)
    link.flushed().then(() => done.resolve({ messageId: mid, reasonCode: 0 }), done.reject)
  }

  #request<T extends SubackPacket | UnsubackPacket>(build: (id: number) => Packet): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const link = this.#link
      if (!link) return reject(this.#finished ?? new ConnectionClosedError())
      const id = this.#session.ids.allocate()
      if (id === undefined) return reject(new ProtocolError(0x91, 'No packet identifier available'))
      const packet = build(id)
      const tooLarge = link.tooLarge(packet)
      if (tooLarge) {
        this.#session.ids.release(id)
        return reject(tooLarge)
      }
      this.#acks.set(id, { resolve, reject } as Waiter<SubackPacket> | Waiter<UnsubackPacket>)
      link.send(packet)
    })
  }

  #run(actions: Action<Outgoing>[]): void {
    /** What refills the window after a message too large to send; after this batch, so order is kept. */
    let refill: Action<Outgoing>[] | undefined
    for (const a of actions) {
      if (a.kind === 'send') this.#link?.send(a.packet)
      else if (a.kind === 'publish') {
        // A resend after a reconnect whose CONNACK lowered the limit is dropped with the error, not looped.
        const tooLarge = this.#link?.publish(withId(a.entry.tag.packet, a.entry.id, a.dup))
        if (tooLarge) {
          a.entry.tag.reject(tooLarge)
          refill ??= []
          refill.push(...this.#session.abandon(a.entry))
        }
      } else if (a.kind === 'deliver') this.#deliver(a.message, a.ack)
      else a.entry.tag.resolve({ messageId: a.entry.id, reasonCode: a.reasonCode, ...(a.reasonString !== undefined ? { reasonString: a.reasonString } : {}) })
    }
    if (refill) this.#run(refill)
  }

  #deliver(msg: PublishPacket, ack: InboundAck | undefined): void {
    if (ack) this.#ackHandles.set(msg, ack)
    if (this.#onMessage) this.#onMessage(msg)
    else this.#early.push(msg)
  }

  #onPacket(p: Packet, raw?: Buffer): void {
    const link = this.#link
    if (!link) return
    switch (p.cmd) {
      case 'publish': {
        const topic = link.inAliases.resolve(p)
        if (topic === undefined) return link.fail(new ProtocolError(0x94, 'Topic Alias invalid'))
        if (raw && orderIsAmbiguous(p.properties)) {
          const wire = publishWireProperties(raw)
          if (wire) (p as ReceivedPublish).wireProperties = wire
        }
        const message = topic === p.topic ? p : { ...p, topic }
        // QoS 0 leaves nothing in the session (Session.onPublish only says deliver): no action list per message.
        if (message.qos === 0) return this.#deliver(message, undefined)
        return this.#run(this.#session.onPublish(message))
      }
      case 'puback': return this.#ack(link, () => this.#session.onPuback(p))
      case 'pubrec': return this.#ack(link, () => this.#session.onPubrec(p))
      case 'pubrel': return this.#run(this.#session.onPubrel(p))
      case 'pubcomp': return this.#ack(link, () => this.#session.onPubcomp(p))
      case 'suback': case 'unsuback': {
        const w = this.#acks.get(p.messageId!)
        if (!w) return
        this.#acks.delete(p.messageId!)
        this.#session.ids.release(p.messageId!)
        return (w as Waiter<typeof p>).resolve(p)
      }
      default: return
    }
  }

  /** An acknowledgement of the wrong kind for its message is a protocol error that ends the connection. */
  #ack(link: Link, step: () => Action<Outgoing>[]): void {
    let actions: Action<Outgoing>[]
    try {
      actions = step()
    } catch (e) {
      return link.fail(e instanceof Error ? e : new Error(String(e)))
    }
    this.#run(actions)
  }
}
