// A connection moves packets and handles backpressure; it knows no MQTT rules.
import type { Duplex } from 'node:stream'
import {
  decoderFor, encodeWire, PacketError, publish311Length, SPLIT_PAYLOAD_BYTES, writePublish311,
  type DecoderOptions, type Decoder, type DecoderSink, type Packet, type ProtocolVersion, type PublishPacket,
} from '../codec/index.js'
import { RC } from '../codec/reason-codes.js'
import { ConnectionClosedError, ProtocolError } from './errors.js'
import { whileReading, WriteBatch } from './write-batch.js'

export interface ConnectionHandlers {
  /** `raw`: the packet's bytes, when the connection was made with keepRaw. */
  packet(p: Packet, raw?: Buffer): void
  /** Called once when the stream is gone; `reason` is the first error seen (decode or socket), if any. */
  close(reason?: Error): void
  bytesIn?(n: number): void
  /**
   * A packet the decoder refused, as a ProtocolError with the v5 reason code (0x81, 0x82, 0x84). The handler
   * must close the connection (e.g. after a v5 DISCONNECT); without one, the stream is destroyed at once.
   */
  invalid?(err: ProtocolError): void
}

export interface ConnectionOptions extends DecoderOptions {
  /**
   * Keep what is sent in one tick and write it as one buffer at the end of the tick (one stream write instead
   * of one per packet; see write-batch.ts). Whoever writes to `stream` directly must not use it.
   */
  batchWrites?: boolean
}

/** The connection a stream feeds, for the stream listeners shared by all connections. */
const OWNER = Symbol('PacketConnection')
type Owned = Duplex & { [OWNER]: PacketConnection }

export class PacketConnection implements DecoderSink {
  #version: ProtocolVersion | undefined
  #closeReason: Error | undefined
  #corked = false
  readonly #on: ConnectionHandlers
  readonly #decoder: Decoder
  readonly #batch: WriteBatch | undefined
  bytesOut = 0

  /**
   * `opts.strict`: check each packet's bytes before decoding it (the broker; see codec/packet-check.ts).
   * The stream's listeners are functions shared by every connection, which find theirs through a symbol on the
   * stream, and the connection is its decoder's sink: no closures per connection (an idle broker connection
   * was ~1 KB of them, bench/RESULTS.md).
   */
  constructor(readonly stream: Duplex, on: ConnectionHandlers, version?: ProtocolVersion, opts: ConnectionOptions = {}) {
    this.#version = version
    this.#on = on
    if (opts.batchWrites === true) this.#batch = new WriteBatch(stream)
    this.#decoder = decoderFor(version, this, opts)
    ;(stream as Owned)[OWNER] = this
    stream.on('data', PacketConnection.#onData)
    stream.on('error', PacketConnection.#onError)
    // `on`, not `once` (which wraps each listener in a bound function and a state object); the listeners
    // remove themselves, so a stream that emitted either twice would still be handled once.
    stream.on('close', PacketConnection.#onClose)
    stream.on('end', PacketConnection.#onEnd)
  }

  /** With a write batch, what the packets of this chunk make the connection send is flushed when it returns. */
  static #onData(this: Owned, chunk: Buffer): void {
    const c = this[OWNER]
    c.#on.bytesIn?.(chunk.length)
    if (c.#batch === undefined) c.#decoder.push(chunk)
    else whileReading(() => c.#decoder.push(chunk))
  }

  static #onError(this: Owned, e: Error): void {
    const c = this[OWNER]
    c.#closeReason ??= e
  }

  static #onClose(this: Owned): void {
    this.off('close', PacketConnection.#onClose)
    const c = this[OWNER]
    c.#on.close(c.#closeReason)
  }

  /** A half-closed peer (FIN) is gone for MQTT purposes. */
  static #onEnd(this: Owned): void {
    this.off('end', PacketConnection.#onEnd)
    if (!this.destroyed) this.destroy()
  }

  /** DecoderSink: a packet read from the stream. */
  decoded(p: Packet, raw?: Buffer): void {
    this.#on.packet(p, raw)
  }

  /** DecoderSink: the stream sent something that is not MQTT; nothing more is read from it. */
  decodeFailed(e: Error): void {
    const err = new ProtocolError(e instanceof PacketError ? e.reasonCode : RC.MALFORMED_PACKET, e.message)
    if (this.#on.invalid) this.#on.invalid(err)
    else this.destroy(err)
  }

  get version(): ProtocolVersion | undefined { return this.#version }
  get closed(): boolean { return this.stream.destroyed }

  /** Broker side: the version is known once CONNECT has been read. */
  setVersion(v: ProtocolVersion): void {
    this.#version = v
    this.#decoder.setVersion(v)
  }

  /** Queue a packet (a large payload is not copied); returns false when the stream wants us to wait for 'drain'. */
  send(packet: Packet): boolean {
    const w = encodeWire(packet, this.#version ?? 4)
    if (Buffer.isBuffer(w)) return this.sendRaw(w)
    this.sendRaw(w[0])
    return this.sendRaw(w[1])
  }

  /**
   * A v3.1/3.1.1 PUBLISH (Buffer payload) encoded straight into this tick's batch when there is one and the
   * payload is small: no buffer of its own. Returns its size in bytes.
   */
  sendPublish311(p: PublishPacket): number {
    const batch = this.#batch
    const payload = p.payload as Buffer
    if (batch === undefined || payload.length >= SPLIT_PAYLOAD_BYTES || this.stream.destroyed || this.stream.writableEnded) {
      const w = encodeWire(p, 4)
      if (Buffer.isBuffer(w)) { this.sendRaw(w); return w.length }
      this.sendRaw(w[0])
      this.sendRaw(w[1])
      return w[0].length + w[1].length
    }
    const topicBytes = Buffer.byteLength(p.topic)
    const size = publish311Length(topicBytes, p.qos, payload.length)
    const buf = batch.reserve(size)
    batch.commit(writePublish311(buf, batch.at, p, topicBytes))
    this.bytesOut += size
    return size
  }

  /** Bytes queued and not yet taken by the kernel (in the stream, or in this tick's batch). */
  get writableLength(): number { return this.stream.writableLength + (this.#batch?.length ?? 0) }

  /** Queue pre-encoded bytes (a PUBLISH encoded once for many subscribers). Writes of one tick are batched. */
  sendRaw(bytes: Buffer): boolean {
    const s = this.stream
    if (s.destroyed || s.writableEnded) return false
    if (this.#batch !== undefined) {
      this.bytesOut += bytes.length
      this.#batch.add(bytes)
      return !s.writableNeedDrain
    }
    if (!this.#corked) {
      this.#corked = true
      s.cork()
      process.nextTick(() => { this.#corked = false; s.uncork() })
    }
    this.bytesOut += bytes.length
    return s.write(bytes)
  }

  /** Resolves when the stream has drained (at once if it has room); rejects if it closes first. */
  drained(): Promise<void> {
    const s = this.stream
    if (s.destroyed) return Promise.reject(new ConnectionClosedError())
    if (!s.writableNeedDrain) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const done = () => { s.off('close', fail); resolve() }
      const fail = () => { s.off('drain', done); reject(new ConnectionClosedError()) }
      s.once('drain', done).once('close', fail)
    })
  }

  /** Flush what is queued, then close the stream. */
  end(): void {
    const s = this.stream
    if (s.destroyed || s.writableEnded) return
    if (this.#corked) { this.#corked = false; s.uncork() }
    this.#batch?.flush()
    s.end(() => s.destroy())
  }

  destroy(reason?: Error): void {
    this.#closeReason ??= reason
    this.stream.destroy()
  }
}
