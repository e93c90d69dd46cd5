// One client connection: packets in strict order through the handlers, outgoing QoS via its session,
// keepalive, will, and the mosquitto log lines of a connection's life.
import type { Duplex } from 'node:stream'
import { encode, type Packet, type ProtocolVersion, type PublishPacket, type QoS } from '../codec/index.js'
import { disconnect } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import { PacketConnection } from '../core/connection.js'
import { ProtocolError } from '../core/errors.js'
import type { Action } from '../core/session.js'
import type { FlowControl, FlowPeer } from './flow-control.js'
import { dispatch } from './handlers/index.js'
import type { HookChain } from './hook-chain.js'
import type { ClientInfo } from './hooks.js'
import type { KeepaliveWatch } from './keepalive.js'
import { encodedQos0, isExpired, toPublishPacket, type Message } from './message.js'
import type { Log, ResolvedOptions } from './options.js'
import type { RetainedMessages } from './retained.js'
import type { Router } from './router.js'
import type { BrokerSession, Sessions } from './sessions.js'
import type { BrokerStats } from './stats.js'
import type { Will } from './will.js'
import { publishLine } from './log-lines.js'

/** What handlers and clients see of the broker. */
export interface BrokerContext {
  readonly opts: ResolvedOptions
  readonly stats: BrokerStats
  readonly log: Log
  readonly hooks: HookChain
  readonly router: Router
  readonly retained: RetainedMessages
  readonly sessions: Sessions
  /** Holds QoS>0 publishers that outrun a connected subscriber (see flow-control.ts). */
  readonly flow: FlowControl
  /** Connected clients by client id. */
  readonly clients: Map<string, BrokerClient>
  /** Retain update + fan-out of an accepted message; returns how many sessions matched. */
  publishMessage(m: Message, from: BrokerSession | undefined): number
  /** A will is due: authorize it like a PUBLISH of its client, then publish (a promise while authorizing). */
  publishWill(m: Message, info: ClientInfo | undefined): Promise<void> | undefined
  connectionClosed(c: BrokerClient): void
}

export interface ConnectionMeta { remoteAddress?: string; listener?: string }

/** Beyond this many unwritten bytes a slow subscriber loses QoS 0 messages instead of growing memory. */
const QOS0_BACKLOG_LIMIT = 64 * 1024 * 1024
/** A socket that sends no CONNECT in this time is closed. */
const CONNECT_TIMEOUT_MS = 10_000
/** Packets held back (flow control, or an authorization in progress) beyond which the socket is not read. */
const DEFER_LIMIT = 1000

/** Packets processed even while the client's PUBLISHes are held: they only settle flows, never route. */
function settlesOnly(p: Packet): boolean {
  const cmd = p.cmd
  return cmd === 'puback' || cmd === 'pubrec' || cmd === 'pubcomp' || cmd === 'pubrel' || cmd === 'pingreq'
}

export class BrokerClient implements FlowPeer {
  readonly conn: PacketConnection
  readonly remoteAddress: string
  readonly listener: string
  state: 'new' | 'connecting' | 'connected' | 'closed' = 'new'
  version: ProtocolVersion = 4
  clientId = ''
  username: string | undefined
  info: ClientInfo | undefined
  session: BrokerSession | undefined
  will: Will | undefined
  keepalive: KeepaliveWatch | undefined
  /** v5 Maximum Packet Size the client asked for; larger PUBLISHes are not sent to it [MQTT-3.1.2-24]. */
  maxPacketSize: number | undefined
  /** v5 inbound topic aliases. */
  readonly aliases = new Map<number, string>()
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
  #connectTimer: NodeJS.Timeout | undefined

  constructor(readonly broker: BrokerContext, stream: Duplex, meta: ConnectionMeta) {
    this.remoteAddress = meta.remoteAddress ?? 'inline'
    this.listener = meta.listener ?? 'inline'
    const stats = broker.stats
    this.conn = new PacketConnection(stream, {
      packet: (p) => this.#onPacket(p),
      close: (reason) => this.#onClose(reason),
      bytesIn: (n) => { stats.bytesReceived += n },
    })
    this.#connectTimer = setTimeout(() => { if (this.state === 'new') this.conn.destroy() }, CONNECT_TIMEOUT_MS)
    this.#connectTimer.unref()
  }

  /** The id used in log lines. */
  get logId(): string { return this.clientId === '' ? '<unknown>' : this.clientId }

  /** Encode and queue one packet. */
  send(packet: Packet): void {
    if (this.broker.log.debug) logAck(this, packet)
    this.sendRaw(encode(packet, this.version))
  }

  sendRaw(bytes: Buffer): boolean {
    const s = this.broker.stats
    s.messagesSent++
    s.bytesSent += bytes.length
    return this.conn.sendRaw(bytes)
  }

  /**
   * Deliver a routed message at `qos` (the router already applied downgrade, no-local and retain-as-published).
   * `from`: the publishing client, which flow control may hold when this subscriber falls behind.
   */
  deliver(session: BrokerSession, m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, now: number, from?: BrokerClient): boolean {
    const stats = this.broker.stats
    if (this.maxPacketSize !== undefined && this.#tooLarge(m, qos, retain, subIds, now, this.maxPacketSize)) {
      // [MQTT-3.1.2-25]: discard it as if it had been sent; the client stays connected.
      stats.publishDropped++
      if (this.broker.log.debug) this.broker.log.write('debug', `Dropped too large PUBLISH for ${this.logId} (${m.payload.length} bytes, maximum packet size ${this.maxPacketSize}).`)
      return true
    }
    if (qos === 0) {
      if (this.conn.stream.writableLength > QOS0_BACKLOG_LIMIT) { stats.publishDropped++; return false }
      stats.publishSent++
      stats.publishBytesSent += m.payload.length
      if (this.broker.log.debug) this.broker.log.write('debug', publishLine('Sending', this.logId, 0, qos, retain, 0, m.topic, m.payload.length))
      if (subIds === undefined || this.version !== 5) this.sendRaw(encodedQos0(m, this.version, retain, now))
      else this.send(toPublishPacket(m, 0, retain, now, subIds))
      return true
    }
    const actions = session.qos.publish(toPublishPacket(m, qos, retain, now, subIds), m)
    if (actions === null) { stats.publishDropped++; return false }
    stats.storedMessages++ // held until acknowledged (or dropped)
    stats.storedBytes += m.payload.length
    if (actions.length > 0) this.run(actions)
    else if (from !== undefined) this.broker.flow.queued(from, this, session.qos.queuedCount) // queued behind the window
    return true
  }

  /** Only measured for clients that set a Maximum Packet Size, so the common path pays nothing. */
  #tooLarge(m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, now: number, max: number): boolean {
    const packet = toPublishPacket(m, qos, retain, now, subIds)
    if (qos > 0) packet.messageId = 1 // the id's two bytes count; its value does not
    return encode(packet, this.version).length > max
  }

  /** Perform the session's actions: send packets, account for settled messages. */
  run(actions: Action<Message>[]): void {
    let settled = false
    for (const a of actions) {
      if (a.kind === 'send') {
        const p = a.packet
        if (p.cmd === 'publish') this.#sendPublish(p)
        else this.send(p)
      } else if (a.kind === 'settled') {
        settled = true
        this.broker.stats.storedMessages-- // it left the broker's hands
        this.broker.stats.storedBytes -= a.tag.payload.length
      }
    }
    if (settled && this.session !== undefined) this.broker.flow.drained(this, this.session.qos.queuedCount)
  }

  #sendPublish(p: PublishPacket): void {
    const stats = this.broker.stats
    stats.publishSent++
    stats.publishBytesSent += p.payload.length
    const log = this.broker.log
    if (log.debug) log.write('debug', publishLine('Sending', this.logId, p.dup ? 1 : 0, p.qos, p.retain, p.messageId ?? 0, p.topic, p.payload.length))
    this.send(p)
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
    this.conn.end()
  }

  /** Another connection took over this client id: close this one now, its will handled as abnormal. */
  takeover(): void {
    this.broker.log.write('notice', `Client ${this.clientId} already connected, closing old connection.`)
    if (this.version === 5) this.send(disconnect(RC.SESSION_TAKEN_OVER)) // [MQTT-3.1.4-3]
    this.closeLogged = true
    this.#release()
    this.conn.end()
  }

  /** Drop QoS 1/2 messages queued behind the window whose expiry passed [MQTT-3.3.2-5]. */
  pruneExpired(now: number): void {
    const s = this.session
    if (!s || s.qos.queuedCount === 0) return
    const dropped = s.qos.dropQueued((_p, m) => isExpired(m, now))
    for (const d of dropped) {
      this.broker.stats.storedMessages--
      this.broker.stats.storedBytes -= d.tag.payload.length
    }
    if (dropped.length > 0) this.broker.flow.drained(this, s.qos.queuedCount)
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
    if (this.#connectTimer) clearTimeout(this.#connectTimer)
    this.keepalive?.stop()
    if (prev !== 'connected') return
    const b = this.broker
    b.stats.clientsConnected--
    const session = this.session
    if (b.clients.get(this.clientId) === this) b.clients.delete(this.clientId)
    if (!session || session.client !== this) return
    b.sessions.detach(session)
    const will = this.will
    this.will = undefined
    if (!will) return
    if (will.delayMs > 0 && b.sessions.get(session.clientId) === session) b.sessions.deferWill(session, will.message, will.delayMs)
    else b.publishWill(will.message, this.info)
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

/** mosquitto's `Sending PUBACK to id (m1, rc0)` debug lines for acknowledgements. */
function logAck(c: BrokerClient, p: Packet): void {
  if (p.cmd === 'puback' || p.cmd === 'pubrec' || p.cmd === 'pubrel' || p.cmd === 'pubcomp') {
    c.broker.log.write('debug', `Sending ${p.cmd.toUpperCase()} to ${c.logId} (m${p.messageId ?? 0}, rc${p.reasonCode ?? 0})`)
  }
}
