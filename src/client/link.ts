// One network connection of a client: packets over the stream, the CONNECT/CONNACK handshake, keepalive,
// topic aliases (they live as long as the connection) and the `-d` lines. The connection loop makes one per
// attempt; the session outlives them all.
import type { ConnackPacket, ConnectPacket, Packet, ProtocolVersion, PublishPacket, QoS } from '../codec/index.js'
import { encode, SPLIT_PAYLOAD_BYTES } from '../codec/encode.js'
import { pingreq } from '../codec/packets.js'
import { MAX_TOPIC_BYTES, PublishBatch } from '../codec/publish-batch.js'
import { publishSize } from '../codec/publish-size.js'
import type { Clock } from '../core/clock.js'
import { PacketConnection } from '../core/connection.js'
import {
  AbortError, ConnackRefusedError, ConnectionClosedError, KeepaliveError, PacketTooLargeError, ProtocolError, networkErrorFrom,
} from '../core/errors.js'
import { KeepaliveTimer } from '../core/keepalive.js'
import type { Duplex } from 'node:stream'
import { describeIncoming, describeOutgoing } from './debug-log.js'
import { InboundAliases, OutboundAliases } from './topic-alias.js'

export interface LinkOptions {
  readonly protocolVersion: ProtocolVersion
  readonly clock: Clock
  readonly debug: ((line: string) => void) | undefined
  /** The id shown in `-d` lines. */
  logId(): string
}

export class Link {
  readonly inAliases = new InboundAliases()
  readonly outAliases = new OutboundAliases()
  /** The server's Maximum Packet Size, from this connection's v5 CONNACK; undefined: none given. */
  maxPacketSize: number | undefined
  /** Settles once, when the stream is gone, with why (undefined: we closed it on purpose). */
  readonly closed: Promise<Error | undefined>
  readonly #conn: PacketConnection
  readonly #o: LinkOptions
  #onPacket: ((p: Packet, raw?: Buffer) => void) | undefined
  /** Packets after CONNACK that arrived before start() (a resumed session sends at once). */
  #early: [Packet, Buffer | undefined][] | undefined = []
  #connack: { resolve(p: ConnackPacket): void; reject(e: Error): void } | undefined
  #keepalive: KeepaliveTimer | undefined
  #reason: Error | undefined
  #closing = false
  #flush: Promise<void> | undefined
  /** QoS 0 publishes of this tick, written as one buffer before any other packet and at the tick's end. */
  readonly #batch: PublishBatch
  #batchQueued = false

  constructor(stream: Duplex, o: LinkOptions) {
    this.#o = o
    this.#batch = new PublishBatch(o.protocolVersion)
    let resolveClosed!: (e: Error | undefined) => void
    this.closed = new Promise((resolve) => { resolveClosed = resolve })
    this.#conn = new PacketConnection(stream, {
      packet: (p, raw) => this.#packet(p, raw),
      close: (reason) => {
        this.#keepalive?.stop()
        const why = this.#reason ?? (this.#closing ? undefined : reason ? networkErrorFrom(reason) : new ConnectionClosedError())
        this.#connack?.reject(why ?? new ConnectionClosedError())
        resolveClosed(why)
      },
    }, o.protocolVersion, { keepRaw: o.protocolVersion === 5 })
  }

  get isClosed(): boolean { return this.#conn.closed }
  get stream(): Duplex { return this.#conn.stream }

  /** Send CONNECT and wait for a successful CONNACK, bounded by `timeoutMs` (0: unbounded) and `signal`. */
  async handshake(connect: ConnectPacket, timeoutMs: number, signal: AbortSignal | undefined): Promise<ConnackPacket> {
    const clock = this.#o.clock
    const connack = new Promise<ConnackPacket>((resolve, reject) => { this.#connack = { resolve, reject } })
    const timer = timeoutMs > 0 ? clock.setTimeout(() => this.fail(new KeepaliveError()), timeoutMs) : undefined
    const onAbort = () => this.fail(new AbortError())
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      this.send(connect)
      const p = await connack
      const rc = p.reasonCode ?? p.returnCode ?? 0
      if (rc !== 0) {
        this.#closing = true
        this.#conn.destroy()
        throw new ConnackRefusedError(rc, this.#o.protocolVersion, p.properties?.reasonString)
      }
      this.maxPacketSize = p.properties?.maximumPacketSize
      return p
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      this.#connack = undefined
    }
  }

  /** After CONNACK: every further packet goes to `handler`; PINGREQ when idle for `seconds`. */
  start(seconds: number, handler: (p: Packet, raw?: Buffer) => void): void {
    this.#onPacket = handler
    this.#keepalive = new KeepaliveTimer(seconds, this.#o.clock, () => this.send(pingreq()), () => this.fail(new KeepaliveError()))
    const early = this.#early ?? []
    this.#early = undefined
    for (const [p, raw] of early) if (!this.#conn.closed) handler(p, raw)
  }

  /** `mid`: the id shown for a QoS 0 publish in `-d` lines (libmosquitto counts those too). */
  send(p: Packet, mid?: number): void {
    if (this.#batch.pending > 0) this.#writeBatch() // what was published before goes first
    const debug = this.#o.debug
    if (debug) for (const line of describeOutgoing(this.#o.logId(), p, mid)) debug(line)
    this.#conn.send(p)
    this.#keepalive?.sent()
  }

  /**
   * Send a PUBLISH through the topic aliases, unless it is larger than the server's Maximum Packet Size: then
   * nothing is sent (no alias recorded either) and the error is returned [MQTT-3.2.2-15] (v5).
   */
  publish(p: PublishPacket, mid?: number): PacketTooLargeError | undefined {
    if (p.properties === undefined && Buffer.isBuffer(p.payload)) {
      // No properties, so no alias either: this tick's batch, unless -d, a large payload or an over-long topic.
      const t = this.#batchable(p.topic, p.payload)
      if (t) return this.#toBatch(t, p.payload, p.retain, p.qos, p.messageId ?? 0, p.dup)
    }
    const max = this.maxPacketSize // measured only when the server set one
    if (max !== undefined) {
      const size = publishSize(this.outAliases.peek(p), this.#o.protocolVersion)
      if (size > max) return new PacketTooLargeError(size, max)
    }
    this.send(this.outAliases.apply(p), mid)
    return undefined
  }

  /**
   * The error to give instead of sending `p` (a SUBSCRIBE, UNSUBSCRIBE …) when it is larger than the server's
   * Maximum Packet Size [MQTT-3.1.2-24] (v5); PUBLISH has its own measure, in publish().
   */
  tooLarge(p: Packet): PacketTooLargeError | undefined {
    const max = this.maxPacketSize
    if (max === undefined) return undefined
    const size = encode(p, this.#o.protocolVersion).length
    return size > max ? new PacketTooLargeError(size, max) : undefined
  }

  /**
   * publish() for a QoS 0 message without properties: the same checks and the same bytes, but copied at once
   * into this tick's batch (so `payload` may change as soon as this returns). `mid`: for the `-d` lines.
   */
  publishQos0(topic: string, payload: Buffer, retain: boolean, mid: number): PacketTooLargeError | undefined {
    const t = this.#batchable(topic, payload)
    if (!t) return this.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain, dup: false }, mid)
    return this.#toBatch(t, payload, retain, 0, 0, false)
  }

  /** The topic's bytes when a PUBLISH of it and `payload` may go into the batch (without -d, which logs each). */
  #batchable(topic: string, payload: Buffer): Buffer | undefined {
    if (this.#o.debug || payload.length >= SPLIT_PAYLOAD_BYTES) return undefined
    const t = this.#batch.topicBytes(topic)
    return t.length > MAX_TOPIC_BYTES ? undefined : t
  }

  #toBatch(t: Buffer, payload: Buffer, retain: boolean, qos: QoS, id: number, dup: boolean): PacketTooLargeError | undefined {
    const batch = this.#batch
    const max = this.maxPacketSize // [MQTT-3.2.2-15], as for any PUBLISH
    if (max !== undefined) {
      const size = batch.size(t, payload, qos)
      if (size > max) return new PacketTooLargeError(size, max)
    }
    batch.add(t, payload, retain, qos, id, dup)
    this.#keepalive?.sent()
    if (!this.#batchQueued) {
      this.#batchQueued = true
      process.nextTick(() => { this.#batchQueued = false; this.#writeBatch() })
    }
    return undefined
  }

  /**
   * Resolves once what was sent so far has been handed to the stream. The calls of one tick share one empty
   * marker write, queued after that tick's packets (a burst of QoS 0 publishes: one marker, not one each).
   */
  flushed(): Promise<void> {
    if (this.#conn.closed) return Promise.reject(new ConnectionClosedError())
    this.#flush ??= new Promise((resolve) => {
      process.nextTick(() => {
        this.#flush = undefined
        // Gone since the call: what was sent went to the stream that died, as a write's callback would say.
        if (this.#conn.closed) return resolve()
        this.#writeBatch()
        this.#conn.stream.write('', () => resolve())
      })
    })
    return this.#flush
  }

  /** Flush, then close: the end we chose (closed settles with undefined). */
  end(): void {
    this.#closing = true
    this.#writeBatch()
    this.#conn.end()
  }

  /** Close at once because of `reason` (closed settles with it). */
  fail(reason: Error): void {
    this.#reason ??= reason
    this.#conn.destroy(reason)
  }

  destroy(): void {
    this.#closing = true
    this.#conn.destroy()
  }

  #writeBatch(): void {
    const bytes = this.#batch.take()
    if (!bytes) return
    this.#conn.sendRaw(bytes)
  }

  #packet(p: Packet, raw?: Buffer): void {
    const debug = this.#o.debug
    if (debug) {
      // The CONNACK line shows the assigned id already (libmosquitto sets it before logging).
      const id = p.cmd === 'connack' && p.properties?.assignedClientIdentifier ? p.properties.assignedClientIdentifier : this.#o.logId()
      const line = describeIncoming(id, p)
      if (line) debug(line)
    }
    if (p.cmd === 'pingresp') return this.#keepalive?.pong()
    const waiter = this.#connack
    if (waiter) {
      this.#connack = undefined
      if (p.cmd === 'connack') return waiter.resolve(p)
      waiter.reject(new ProtocolError(0x82, `${p.cmd.toUpperCase()} before CONNACK`)) // [MQTT-3.2.0-1]
      return this.fail(new ProtocolError(0x82, `${p.cmd.toUpperCase()} before CONNACK`))
    }
    if (p.cmd === 'connack') return this.fail(new ProtocolError(0x82, 'unexpected CONNACK'))
    if (p.cmd === 'disconnect') return this.fail(new ProtocolError(p.reasonCode ?? 0, `Received DISCONNECT (${p.reasonCode ?? 0})`))
    if (this.#early) this.#early.push([p, raw])
    else this.#onPacket?.(p, raw)
  }
}
