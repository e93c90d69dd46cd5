// A promise-based MQTT client over one connection. Every CLI uses it; it never prints or exits.
import { orderIsAmbiguous, publishWireProperties, type ReceivedPublish } from '../codec/index.js'
import type {
  ConnackPacket, ConnectPacket, ConnectProperties, DisconnectProperties, Packet, ProtocolVersion, PublishPacket,
  PublishProperties, QoS, SubackPacket, Subscription, SubscribeProperties, UnsubackPacket, WillProperties,
} from '../codec/index.js'
import { disconnect as disconnectPacket, pingreq } from '../codec/packets.js'
import { systemClock, type Clock } from '../core/clock.js'
import { PacketConnection } from '../core/connection.js'
import { AbortError, ConnackRefusedError, ConnectionClosedError, KeepaliveError, ProtocolError } from '../core/errors.js'
import { KeepaliveTimer } from '../core/keepalive.js'
import { Session, type Action } from '../core/session.js'
import { openStream, type TransportOptions } from '../core/transport.js'
import type { Duplex } from 'node:stream'
import { describeIncoming, describeOutgoing } from './debug-log.js'
import { InboundAliases, OutboundAliases } from './topic-alias.js'

/** Where to connect (host/port/unix socket, TLS, proxy, bind address, signal) plus the MQTT session. */
export interface ClientOptions extends TransportOptions {
  protocolVersion: ProtocolVersion
  /** '' lets the broker assign one (v3.1.1 / v5). */
  clientId: string
  clean: boolean
  keepalive: number
  username?: string
  password?: Buffer
  will?: { topic: string; payload: Buffer; qos: QoS; retain: boolean; properties?: WillProperties }
  properties?: ConnectProperties
  /** v5 properties for every DISCONNECT we send (-D disconnect …). */
  disconnectProperties?: DisconnectProperties
  /** Our limit of unacknowledged QoS>0 publishes (mosquitto's -M, default 20). */
  maxInflight?: number
  /** Receives mosquitto's `-d` lines. */
  debug?: (line: string) => void
  clock?: Clock
}

export interface PublishOptions { qos: QoS; retain?: boolean; properties?: PublishProperties }
export interface PublishResult { messageId: number; reasonCode: number; reasonString?: string }
export type UnsubscribeProperties = { userProperties?: Record<string, string | string[]> }

interface Waiter<T> { resolve(v: T): void; reject(e: Error): void }
/** An outbound QoS 1/2 publish: the packet (its id is the session's) and who waits for its acknowledgement. */
interface Outgoing extends Waiter<PublishResult> { packet: PublishPacket }

/** Connect and wait for a successful CONNACK. */
export async function connect(opts: ClientOptions): Promise<Client> {
  const stream = await openStream(opts)
  const client = new Client(stream, opts)
  await client.handshake()
  return client
}

export class Client {
  connack!: ConnackPacket
  clientId: string
  #onMessage: ((msg: PublishPacket) => void) | undefined
  /** Messages that arrived before a handler was set (a resumed session delivers right after CONNACK). */
  #early: PublishPacket[] = []
  readonly closed: Promise<Error | undefined>
  readonly #conn: PacketConnection
  readonly #opts: ClientOptions
  readonly #session: Session<Outgoing>
  readonly #acks = new Map<number, Waiter<SubackPacket> | Waiter<UnsubackPacket>>()
  readonly #inAliases = new InboundAliases()
  readonly #outAliases = new OutboundAliases()
  #connackWaiter: Waiter<ConnackPacket> | undefined
  #keepalive: KeepaliveTimer | undefined
  #closeReason: Error | undefined
  #closing = false
  #resolveClosed!: (e: Error | undefined) => void

  constructor(stream: Duplex, opts: ClientOptions) {
    this.#opts = opts
    this.clientId = opts.clientId
    this.#session = new Session({ maxInflight: opts.maxInflight ?? 20 })
    this.closed = new Promise((resolve) => { this.#resolveClosed = resolve })
    this.#conn = new PacketConnection(stream, {
      packet: (p, raw) => this.#onPacket(p, raw),
      close: (reason) => this.#onClose(reason),
    }, opts.protocolVersion, { keepRaw: opts.protocolVersion === 5 })
  }

  /** Inbound publishes (QoS handled inside). Messages that came before the handler are handed over on set. */
  set onMessage(handler: (msg: PublishPacket) => void) {
    this.#onMessage = handler
    const early = this.#early
    this.#early = []
    for (const m of early) handler(m)
  }

  #deliver(msg: PublishPacket): void {
    if (this.#onMessage) this.#onMessage(msg)
    else this.#early.push(msg)
  }

  get #logId(): string { return this.clientId === '' ? '(null)' : this.clientId }

  /** Send CONNECT, await CONNACK (bounded by the keepalive, like libmosquitto). */
  async handshake(): Promise<void> {
    const o = this.#opts
    const connect: ConnectPacket = {
      cmd: 'connect', protocolId: o.protocolVersion === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: o.protocolVersion,
      clientId: o.clientId, clean: o.clean, keepalive: o.keepalive,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.will ? { will: { ...o.will } } : {}),
      ...(o.protocolVersion === 5 && o.properties ? { properties: o.properties } : {}),
    }
    const clock = o.clock ?? systemClock
    const connackPromise = new Promise<ConnackPacket>((resolve, reject) => { this.#connackWaiter = { resolve, reject } })
    const timer = o.keepalive > 0
      ? clock.setTimeout(() => this.#fail(new KeepaliveError()), o.keepalive * 1000)
      : undefined
    const onAbort = () => this.#fail(new AbortError())
    o.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      this.#send(connect)
      const connack = await connackPromise
      const rc = connack.reasonCode ?? connack.returnCode ?? 0
      if (rc !== 0) {
        this.#conn.destroy()
        throw new ConnackRefusedError(rc, o.protocolVersion, connack.properties?.reasonString)
      }
      this.connack = connack
      const assigned = connack.properties?.assignedClientIdentifier
      if (assigned) this.clientId = assigned
      const serverMax = connack.properties?.receiveMaximum
      if (serverMax !== undefined && (this.#session.maxInflight === 0 || serverMax < this.#session.maxInflight)) {
        this.#session.maxInflight = serverMax
      }
      const keepalive = connack.properties?.serverKeepAlive ?? o.keepalive
      this.#keepalive = new KeepaliveTimer(keepalive, clock, () => this.#send(pingreq()), () => this.#fail(new KeepaliveError()))
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer)
      o.signal?.removeEventListener('abort', onAbort)
      this.#connackWaiter = undefined
    }
  }

  /** Resolves after PUBACK / PUBCOMP for QoS 1/2 (with the v5 reason code), after the write for QoS 0. */
  publish(topic: string, payload: Buffer, o: PublishOptions): Promise<PublishResult> {
    let packet: PublishPacket = { cmd: 'publish', topic, payload, qos: o.qos, retain: o.retain ?? false, dup: false }
    if (o.properties && this.#opts.protocolVersion === 5) {
      packet.properties = o.properties
      packet = this.#outAliases.apply(packet)
    }
    return new Promise((resolve, reject) => {
      if (o.qos === 0) {
        // libmosquitto gives QoS 0 publishes a mid too; show it in -d lines.
        const mid = this.#session.ids.allocate() ?? 0
        this.#session.ids.release(mid)
        this.#send(packet, mid)
        if (this.#conn.closed) return reject(new ConnectionClosedError())
        this.#conn.stream.write('', () => resolve({ messageId: mid, reasonCode: 0 }))
        return
      }
      const actions = this.#session.publish({ packet, resolve, reject }, o.qos)
      if (actions === null) return reject(new ProtocolError(0x97, 'Too many messages queued'))
      this.#run(actions)
    })
  }

  subscribe(subs: Subscription[], properties?: SubscribeProperties): Promise<SubackPacket> {
    return this.#request<SubackPacket>((messageId) => ({
      cmd: 'subscribe', messageId, subscriptions: subs,
      ...(properties && this.#opts.protocolVersion === 5 ? { properties } : {}),
    }))
  }

  unsubscribe(topics: string[], properties?: UnsubscribeProperties): Promise<UnsubackPacket> {
    return this.#request<UnsubackPacket>((messageId) => ({
      cmd: 'unsubscribe', messageId, unsubscriptions: topics,
      ...(properties && this.#opts.protocolVersion === 5 ? { properties } : {}),
    }))
  }

  /** Send DISCONNECT (v5: with reason code and properties), flush, close. */
  async disconnect(reasonCode?: number, properties?: DisconnectProperties): Promise<void> {
    if (this.#conn.closed) return
    this.#closing = true
    const p = disconnectPacket(this.#opts.protocolVersion === 5 ? reasonCode : undefined)
    const props = properties ?? this.#opts.disconnectProperties
    if (props && this.#opts.protocolVersion === 5) p.properties = { ...p.properties, ...props }
    this.#send(p)
    this.#conn.end()
    await this.closed
  }

  /** Stop reading from the broker (e.g. while stdout drains); TCP flow control then slows the broker down. */
  pause(): void { this.#conn.stream.pause() }
  resume(): void { this.#conn.stream.resume() }

  destroy(): void {
    this.#closing = true
    this.#conn.destroy()
  }

  #request<T extends SubackPacket | UnsubackPacket>(build: (id: number) => Packet): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#conn.closed) return reject(this.#closeReason ?? new ConnectionClosedError())
      const id = this.#session.ids.allocate()
      if (id === undefined) return reject(new ProtocolError(0x91, 'No packet identifier available'))
      this.#acks.set(id, { resolve, reject } as Waiter<SubackPacket> | Waiter<UnsubackPacket>)
      this.#send(build(id))
    })
  }

  #send(p: Packet, mid?: number): void {
    const debug = this.#opts.debug
    if (debug) for (const line of describeOutgoing(this.#logId, p, mid)) debug(line)
    this.#conn.send(p)
    this.#keepalive?.sent()
  }

  #run(actions: Action<Outgoing>[]): void {
    for (const a of actions) {
      if (a.kind === 'send') this.#send(a.packet)
      else if (a.kind === 'publish') this.#send({ ...a.entry.tag.packet, messageId: a.entry.id, dup: a.dup })
      else if (a.kind === 'deliver') this.#deliver(a.message)
      else a.entry.tag.resolve({ messageId: a.entry.id, reasonCode: a.reasonCode, ...(a.reasonString !== undefined ? { reasonString: a.reasonString } : {}) })
    }
  }

  #onPacket(p: Packet, raw?: Buffer): void {
    const debug = this.#opts.debug
    if (debug) { const line = describeIncoming(this.#logIdFor(p), p); if (line) debug(line) }
    switch (p.cmd) {
      case 'connack': return this.#connackWaiter ? this.#connackWaiter.resolve(p) : this.#fail(new ProtocolError(0x82, 'unexpected CONNACK'))
      case 'publish': {
        const topic = this.#inAliases.resolve(p)
        if (topic === undefined) return this.#fail(new ProtocolError(0x94, 'Topic Alias invalid'))
        if (raw && orderIsAmbiguous(p.properties)) {
          const wire = publishWireProperties(raw)
          if (wire) (p as ReceivedPublish).wireProperties = wire
        }
        return this.#run(this.#session.onPublish(topic === p.topic ? p : { ...p, topic }))
      }
      case 'puback': return this.#ack(() => this.#session.onPuback(p))
      case 'pubrec': return this.#ack(() => this.#session.onPubrec(p))
      case 'pubrel': return this.#run(this.#session.onPubrel(p))
      case 'pubcomp': return this.#ack(() => this.#session.onPubcomp(p))
      case 'suback': case 'unsuback': {
        const w = this.#acks.get(p.messageId!)
        if (!w) return
        this.#acks.delete(p.messageId!)
        this.#session.ids.release(p.messageId!)
        return (w as Waiter<typeof p>).resolve(p)
      }
      case 'pingresp': return this.#keepalive?.pong()
      case 'disconnect': return this.#fail(new ProtocolError(p.reasonCode ?? 0, `Received DISCONNECT (${p.reasonCode ?? 0})`))
      default: return
    }
  }

  /** An acknowledgement of the wrong kind for its message is a protocol error that ends the connection. */
  #ack(step: () => Action<Outgoing>[]): void {
    let actions: Action<Outgoing>[]
    try {
      actions = step()
    } catch (e) {
      return this.#fail(e instanceof Error ? e : new Error(String(e)))
    }
    this.#run(actions)
  }

  /** The CONNACK line shows the assigned id already (libmosquitto sets it before logging). */
  #logIdFor(p: Packet): string {
    if (p.cmd === 'connack' && p.properties?.assignedClientIdentifier) return p.properties.assignedClientIdentifier
    return this.#logId
  }

  #fail(err: Error): void {
    this.#closeReason ??= err
    this.#conn.destroy(err)
  }

  #onClose(reason?: Error): void {
    this.#keepalive?.stop()
    const err = this.#closeReason ?? (this.#closing ? undefined : reason ?? new ConnectionClosedError())
    const pendingErr = err ?? new ConnectionClosedError()
    this.#connackWaiter?.reject(pendingErr)
    for (const w of this.#acks.values()) w.reject(pendingErr)
    this.#acks.clear()
    for (const { tag } of this.#session.pending()) tag.reject(pendingErr)
    this.#resolveClosed(err)
  }
}
