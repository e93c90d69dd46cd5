// A connection moves packets and handles backpressure; it knows no MQTT rules.
import type { Duplex } from 'node:stream'
import {
  createDecoder, encodeWire, PacketError, publish311Length, SPLIT_PAYLOAD_BYTES, writePublish311,
  type DecoderOptions, type Decoder, type Packet, type ProtocolVersion, type PublishPacket,
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

export class PacketConnection {
  #version: ProtocolVersion | undefined
  #closeReason: Error | undefined
  #corked = false
  readonly #decoder: Decoder
  readonly #batch: WriteBatch | undefined
  bytesOut = 0

  /** `opts.strict`: check each packet's bytes before decoding it (the broker; see codec/packet-check.ts). */
  constructor(readonly stream: Duplex, on: ConnectionHandlers, version?: ProtocolVersion, opts: ConnectionOptions = {}) {
    this.#version = version
    if (opts.batchWrites === true) this.#batch = new WriteBatch(stream)
    this.#decoder = createDecoder(version, on.packet, (e) => {
      const err = new ProtocolError(e instanceof PacketError ? e.reasonCode : RC.MALFORMED_PACKET, e.message)
      if (on.invalid) on.invalid(err)
      else this.destroy(err)
    }, opts)
    const decoder = this.#decoder
    stream.on('data', opts.batchWrites === true
      ? (chunk: Buffer) => { on.bytesIn?.(chunk.length); whileReading(() => decoder.push(chunk)) }
      : (chunk: Buffer) => { on.bytesIn?.(chunk.length); decoder.push(chunk) })
    stream.on('error', (e) => { this.#closeReason ??= e })
    stream.once('close', () => on.close(this.#closeReason))
    // A half-closed peer (FIN) is gone for MQTT purposes.
    stream.once('end', () => { if (!stream.destroyed) stream.destroy() })
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
