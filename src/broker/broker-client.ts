// One client connection: packets in strict order through the handlers, outgoing QoS via its session,
// keepalive, the durability gate, and the mosquitto log lines of a connection's life.
import type { Duplex } from 'node:stream'
import { encodeWire, wireLength, type Packet, type ProtocolVersion, type PublishPacket, type QoS, type Wire } from '../codec/index.js'
import { disconnect } from '../codec/packets.js'
import { publishSize } from '../codec/publish-size.js'
import { RC } from '../codec/reason-codes.js'
import { unrefTimer } from '../core/clock.js'
import { PacketConnection, type ConnectionHandlers } from '../core/connection.js'
import { ProtocolError } from '../core/errors.js'
import type { Action, Outbound } from '../core/session.js'
import { DurabilityGate, isFree, mustBeDurable } from './durability-gate.js'
import type { FlowControl, FlowPeer } from './flow-control.js'
import { dispatch, handleInvalid } from './handlers/index.js'
import type { HookChain } from './hook-chain.js'
import type { ClientInfo } from './hooks.js'
import type { KeepaliveWatch, KeepaliveWheel } from './keepalive.js'
import { ackLine, publishLine } from './log-lines.js'
import { OutboundTopicAliases } from './topic-aliases.js'
import { encodedQos0, toPublishPacket, type Delivery, type Message } from './message.js'
import type { Log, ResolvedOptions } from './options.js'
import type { DurableStore } from './persistence/durable-store.js'
import type { RetainedMessages } from './retained.js'
import type { BrokerSession } from './session.js'
import type { Sessions } from './sessions.js'
import type { BrokerStats } from './stats.js'

/** What handlers and clients see of the broker. */
export interface BrokerContext {
  readonly opts: ResolvedOptions
  readonly stats: BrokerStats
  readonly log: Log
  readonly hooks: HookChain
  readonly retained: RetainedMessages
  readonly sessions: Sessions
  /** Holds QoS>0 publishers that outrun a connected subscriber (see flow-control.ts). */
  readonly flow: FlowControl
  /** Watches every connection's keepalive. */
  readonly keepalives: KeepaliveWheel
  /** Connected clients by client id. */
  readonly clients: Map<string, BrokerClient>
  /** With persistence: acknowledgements wait until what they acknowledge is on disk. */
  readonly store: DurableStore | undefined
  /** memory_limit: while over it, no new work is taken. */
  readonly memory: { readonly over: boolean }
  /** Retain update + fan-out of an accepted message; returns how many sessions matched. */
  publishMessage(m: Message, from: BrokerSession | undefined): number
  /** A will is due: authorize it like a PUBLISH of its client, then publish (a promise while authorizing). */
  publishWill(m: Message, info: ClientInfo | undefined): Promise<void> | undefined
  connectionClosed(c: BrokerClient): void
}

export interface ConnectionMeta {
  remoteAddress?: string
  listener?: string
  /** A TLS listener with useIdentityAsUsername: the client certificate's Common Name (null: none). */
  certificateUsername?: string | null | undefined
  /**
   * An in-process participant the broker does not authenticate: a bridge's local side, which mosquitto never
   * authenticates either. Its CONNECT username still names it for the ACL (mosquitto's local_username).
   */
  trusted?: boolean
}

/** A client over max_queued_bytes this long (every message to it dropped meanwhile) is disconnected. */
const OVER_LIMIT_MS = 60_000
/** A socket that sends no CONNECT in this time is closed. */
const CONNECT_TIMEOUT_MS = 10_000
/** Packets held back (flow control, or an authorization in progress) beyond which the socket is not read. */
const DEFER_LIMIT = 1000

const NO_PAYLOAD = Buffer.alloc(0)
/** The packet #writeQos0 fills for each message (encoded at once, never kept). */
const QOS0: PublishPacket = { cmd: 'publish', topic: '', payload: NO_PAYLOAD, qos: 0, retain: false, dup: false }

/** Packets processed even while the client's PUBLISHes are held: they only settle flows, never route. */
function settlesOnly(p: Packet): boolean {
  const cmd = p.cmd
  return cmd === 'puback' || cmd === 'pubrec' || cmd === 'pubcomp' || cmd === 'pubrel' || cmd === 'pingreq'
}

export class BrokerClient implements FlowPeer {
  readonly conn: PacketConnection
  readonly remoteAddress: string
  readonly listener: string
  readonly certificateUsername: string | null | undefined
  readonly trusted: boolean
  /** An MQTT 3.1/3.1.1 bridge (protocol level | 0x80): its subscriptions are no-local and retain-as-published. */
  bridge = false
  state: 'new' | 'connecting' | 'connected' | 'closed' = 'new'
  version: ProtocolVersion = 4
  clientId = ''
  username: string | undefined
  info: ClientInfo | undefined
  session: BrokerSession | undefined
  keepalive: KeepaliveWatch | undefined
  /** v5 Maximum Packet Size the client asked for; larger PUBLISHes are not sent to it [MQTT-3.1.2-24]. */
  maxPacketSize: number | undefined
  /** v5 inbound topic aliases (created when a client first sets one). */
  aliases: Map<number, string> | undefined
  /** v5 outbound topic aliases, when the client accepts them. */
  outAliases: OutboundTopicAliases | undefined
  /** The client sent DISCONNECT (no will unless reason 0x04). */
  graceful = false
  /** Set when the broker decided to close (log line already written). */
  closeLogged = false
  #queue: Packet[] = []
  #busy = false
  /** Flow control holds this client's PUBLISHes (a subscriber it feeds is behind). */
  #held = false
  /** The socket is not read (too many packets held back). */
  #readPaused = false
  #connectTimer: unknown
  /** Durable mode: what waits for the store's sync, and what follows it (created on first use). */
  #gate: DurabilityGate | undefined
  /** Since when messages to this client are dropped for max_queued_bytes (0: it is under the limit). */
  #overSince = 0

  constructor(readonly broker: BrokerContext, stream: Duplex, meta: ConnectionMeta) {
    this.remoteAddress = meta.remoteAddress ?? 'inline'
    this.listener = meta.listener ?? 'inline'
    this.certificateUsername = meta.certificateUsername
    this.trusted = meta.trusted === true
    this.conn = new PacketConnection(stream, new BrokerClient.#Events(this), undefined, { strict: true, maxPacketSize: broker.opts.maxPacketSize, batchWrites: true })
    this.#connectTimer = unrefTimer(broker.opts.clock.setTimeout(() => { if (this.state === 'new') this.conn.destroy() }, CONNECT_TIMEOUT_MS))
  }

  /** What the connection reports, handed on to its client: one small object rather than four closures. */
  static readonly #Events = class implements ConnectionHandlers {
    constructor(readonly client: BrokerClient) {}
    packet(p: Packet): void { this.client.#onPacket(p) }
    close(reason?: Error): void { this.client.#onClose(reason) }
    bytesIn(n: number): void { this.client.broker.stats.bytesReceived += n }
    invalid(e: ProtocolError): void { handleInvalid(this.client, e) }
  }

  /** A CONNECT arrived: the connection is no longer silent. */
  stopConnectTimer(): void {
    if (this.#connectTimer === undefined) return
    this.broker.opts.clock.clearTimeout(this.#connectTimer)
    this.#connectTimer = undefined
  }

  /** The id used in log lines. */
  get logId(): string { return this.clientId === '' ? '<unknown>' : this.clientId }

  /** Acknowledgements this connection still owes because they wait for the store (they count as unacknowledged). */
  get gatedAcks(): number { return this.#gate?.acks ?? 0 }

  /**
   * Encode and queue one packet. With a durable store, a packet that says something is stored (an
   * acknowledgement, a QoS 2 PUBLISH, a SUBACK, …) waits until the store has synced; what follows waits behind it.
   * `acked`: the QoS 1 message a PUBACK acknowledges, which lets it go before the sync once nothing holds it (isFree).
   */
  send(packet: Packet, acked?: Message): void {
    const store = this.broker.store
    if (store !== undefined && (this.#gate?.busy === true || (!store.synced && (acked !== undefined ? !isFree(acked) : mustBeDurable(packet))))) {
      (this.#gate ??= new DurabilityGate(this, store)).push(packet, acked)
      return
    }
    this.write(packet)
  }

  /** Onto the wire (past the gate). */
  write(packet: Packet): void {
    if (this.broker.log.debug) { const line = ackLine(this.logId, packet); if (line !== undefined) this.broker.log.write('debug', line) }
    if (packet.cmd === 'publish' && this.version !== 5 && typeof packet.topic === 'string' && Buffer.isBuffer(packet.payload)) {
      const s = this.broker.stats
      s.messagesSent++
      s.bytesSent += this.conn.sendPublish311(packet) // encoded into the tick's batch, no buffer of its own
      return
    }
    this.writeRaw(encodeWire(packet, this.version, this.broker.opts))
  }

  /** Pre-encoded bytes (a QoS 0 PUBLISH encoded once for many subscribers); they keep their place behind the gate. */
  sendRaw(bytes: Wire): void {
    if (this.#gate?.busy === true) this.#gate.push(bytes)
    else this.writeRaw(bytes)
  }

  writeRaw(bytes: Wire): void {
    const s = this.broker.stats
    s.messagesSent++
    s.bytesSent += wireLength(bytes)
    if (Buffer.isBuffer(bytes)) this.conn.sendRaw(bytes)
    else { this.conn.sendRaw(bytes[0]); this.conn.sendRaw(bytes[1]) }
  }

  /** Close once what the gate holds has gone out (at once when nothing waits). */
  end(): void {
    if (this.#gate?.busy === true) this.#gate.endAfter()
    else this.conn.end()
  }

  /**
   * Deliver a routed message at `qos` (the router already applied downgrade, no-local and retain-as-published).
   * `from`: the publishing client, which flow control may hold when this subscriber falls behind.
   */
  deliver(session: BrokerSession, m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, now: number, from?: BrokerClient): boolean {
    const stats = this.broker.stats
    const limit = this.broker.opts.maxQueuedBytes
    if (limit > 0) {
      // a message larger than the limit still goes to a client with nothing waiting
      const backlog = this.conn.writableLength + session.queuedBytes
      if (backlog > 0 && backlog + m.payload.length > limit) return this.#overLimit(now)
      this.#overSince = 0
    }
    if (qos === 0) {
      if (this.maxPacketSize !== undefined && this.tooLarge(m, 0, retain, subIds, now)) return true
      stats.publishSent++
      stats.publishBytesSent += m.payload.length
      if (this.broker.log.debug) this.broker.log.write('debug', publishLine('Sending', this.logId, 0, qos, retain, 0, m.topic, m.payload.length))
      if (this.outAliases !== undefined) this.send(this.outAliases.apply(toPublishPacket(m, 0, retain, now, subIds)))
      else if (this.version !== 5 && (m.audience ?? 0) <= 1 && this.#gate?.busy !== true) this.#writeQos0(m, retain) // nobody shares its bytes
      else if (subIds === undefined || this.version !== 5) this.sendRaw(encodedQos0(m, this.version, retain, now, this.broker.opts))
      else this.send(toPublishPacket(m, 0, retain, now, subIds))
      return true
    }
    const actions = session.qos.publish({ message: m, retain, subIds }, qos)
    if (actions === null) { stats.publishDropped++; return false }
    if (actions.length > 0) this.run(actions)
    else if (from !== undefined) this.broker.flow.queued(from, this, session.qos.queuedCount) // queued behind the window
    return true
  }

  /** A v3.1/3.1.1 QoS 0 PUBLISH of `m`, encoded straight into the connection's batch (one scratch packet, no allocation). */
  #writeQos0(m: Message, retain: boolean): void {
    const p = QOS0
    p.topic = m.topic
    p.payload = m.payload
    p.retain = retain
    const s = this.broker.stats
    s.messagesSent++
    s.bytesSent += this.conn.sendPublish311(p)
    p.payload = NO_PAYLOAD // keep no message alive
  }

  /** max_queued_bytes: drop the message; a client that stays over the limit for long is disconnected. */
  #overLimit(now: number): boolean {
    this.broker.stats.publishDropped++
    if (this.#overSince === 0) this.#overSince = now
    else if (now - this.#overSince >= OVER_LIMIT_MS && !this.closeLogged) {
      this.closeLogged = true
      this.broker.log.write('notice', `Client ${this.logId} disconnected: over max_queued_bytes for ${OVER_LIMIT_MS / 1000} s.`)
      if (this.version === 5) this.send(disconnect(RC.QUOTA_EXCEEDED))
      this.conn.destroy()
    }
    return false
  }

  /**
   * A v5 client's Maximum Packet Size: a larger PUBLISH is discarded as if it had been sent, and the client
   * stays connected [MQTT-3.1.2-25]. Only measured for clients that set one, so the common path pays nothing.
   */
  tooLarge(m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, now: number): boolean {
    const max = this.maxPacketSize
    if (max === undefined) return false
    const packet = toPublishPacket(m, qos, retain, now, subIds)
    if (qos > 0) packet.messageId = 1 // the id's two bytes count; its value does not
    if (publishSize(packet, this.version) <= max) return false
    this.broker.stats.publishDropped++
    if (this.broker.log.debug) this.broker.log.write('debug', `Dropped too large PUBLISH for ${this.logId} (${m.payload.length} bytes, maximum packet size ${max}).`)
    return true
  }

  /** Perform the session's actions: send packets; a settled message may let its publishers go on. */
  run(actions: Action<Delivery>[]): void {
    let settled = false
    for (const a of actions) {
      if (a.kind === 'send') this.send(a.packet)
      else if (a.kind === 'publish') this.#sendPublish(a.entry, a.dup)
      else if (a.kind === 'settled') settled = true
    }
    if (settled && this.session !== undefined) this.broker.flow.drained(this, this.session.qos.queuedCount)
  }

  #sendPublish(e: Outbound<Delivery>, dup: boolean): void {
    const d = e.tag
    const m = d.message
    const p = toPublishPacket(m, e.qos, d.retain, this.broker.opts.now(), d.subIds)
    p.messageId = e.id
    p.dup = dup
    const stats = this.broker.stats
    stats.publishSent++
    stats.publishBytesSent += m.payload.length
    const log = this.broker.log
    if (log.debug) log.write('debug', publishLine('Sending', this.logId, dup ? 1 : 0, e.qos, d.retain, e.id, m.topic, m.payload.length))
    this.send(this.outAliases !== undefined ? this.outAliases.apply(p) : p)
  }

  /** Close after a protocol violation: v5 clients get a DISCONNECT with the reason first. */
  fail(err: unknown): void {
    if (this.state === 'closed') return
    const rc = err instanceof ProtocolError ? err.reasonCode : RC.UNSPECIFIED_ERROR
    const log = this.broker.log
    if (!this.closeLogged) {
      this.closeLogged = true
      if (err instanceof ProtocolError && err.reasonCode === RC.MALFORMED_PACKET) log.write('notice', `Client ${this.logId} disconnected due to malformed packet.`)
      else if (err instanceof ProtocolError) log.write('notice', `Client ${this.logId} disconnected due to protocol error.`)
      else log.write('error', `Client ${this.logId} disconnected: ${err instanceof Error ? err.message : String(err)}.`)
    }
    if (this.version === 5 && this.state === 'connected') this.send(disconnect(rc))
    else if (this.version === 5 && this.state === 'connecting') this.send({ cmd: 'connack', sessionPresent: false, reasonCode: rc })
    this.end()
  }

  /**
   * Another connection took over this client id: close this one now [MQTT-3.1.4-3]. When the new
   * connection continues the session, this connection's will is not published (the session lives on,
   * spec 3.1.4 and 3.1.3.2); otherwise its end is abnormal and the will is handled as usual.
   */
  takeover(continues: boolean): void {
    this.broker.log.write('notice', `Client ${this.clientId} already connected, closing old connection.`)
    if (this.version === 5) this.send(disconnect(RC.SESSION_TAKEN_OVER))
    this.closeLogged = true
    if (continues && this.session?.client === this) this.session.will = undefined
    this.#release()
    this.end()
  }

  /** FlowPeer: stop processing this client's PUBLISHes (acknowledgements still flow, so no two clients deadlock). */
  hold(): void { if (!this.conn.closed) this.#held = true }

  /** FlowPeer: process what was held back, in order (on a later tick: this runs inside another client's handler). */
  release(): void {
    if (!this.#held) return
    this.#held = false
    process.nextTick(() => this.#drain())
  }

  #onPacket(p: Packet): void {
    this.broker.stats.messagesReceived++
    this.keepalive?.touch()
    if (this.#busy || ((this.#held || this.#queue.length > 0) && !settlesOnly(p))) {
      this.#queue.push(p)
      if (this.#queue.length >= DEFER_LIMIT && !this.#readPaused) { this.#readPaused = true; this.conn.stream.pause() }
      return
    }
    this.#run(p)
  }

  #run(p: Packet): void {
    if (this.state === 'closed') return
    try {
      const r = dispatch(this, p)
      if (r !== undefined) {
        this.#busy = true
        r.then(() => this.#resume(), (e: unknown) => { this.#busy = false; this.fail(e) })
      }
    } catch (e) {
      this.fail(e)
    }
  }

  #resume(): void {
    this.#busy = false
    this.#drain()
  }

  #drain(): void {
    while (!this.#busy && !this.#held && this.#queue.length > 0 && this.state !== 'closed') this.#run(this.#queue.shift()!)
    if (this.#readPaused && this.#queue.length < DEFER_LIMIT && this.state !== 'closed') {
      this.#readPaused = false
      this.conn.stream.resume()
    }
  }

  /** Connection bookkeeping shared by a closed socket and a takeover; runs once. */
  #release(): void {
    const prev = this.state
    this.state = 'closed'
    this.#queue = []
    this.#held = false
    this.broker.flow.closed(this)
    this.stopConnectTimer()
    this.broker.keepalives.stop(this.keepalive)
    if (prev !== 'connected') return
    const b = this.broker
    b.stats.clientsConnected--
    const session = this.session
    if (b.clients.get(this.clientId) === this) b.clients.delete(this.clientId)
    if (session && session.client === this) b.sessions.detach(session) // its will: now, after its delay, or never
  }

  #onClose(reason: Error | undefined): void {
    if (this.state === 'closed') { this.broker.connectionClosed(this); return }
    if (reason instanceof ProtocolError && !this.closeLogged) {
      this.closeLogged = true
      this.broker.log.write('notice', `Client ${this.logId} disconnected due to malformed packet.`)
    }
    // What a held client sent before closing is processed as if it had not been held (e.g. PUBLISHes, then DISCONNECT).
    if (this.#held) { this.#held = false; this.#drain() }
    if (!this.closeLogged && this.state === 'connected') this.broker.log.write('notice', `Client ${this.logId} closed its connection.`)
    this.#release()
    this.broker.connectionClosed(this)
  }
}
