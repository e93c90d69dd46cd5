// The streaming decoder. Every connection frames its packets (framer.ts); MQTT 3.1/3.1.1 PUBLISH, acks and
// pings are decoded directly (fast-decode.ts); everything else, and all of MQTT 5, goes to mqtt-packet's
// parser one whole packet at a time, in order. For the broker ("strict") each packet's bytes are checked
// first (packet-check.ts): a refused packet reaches `onError` as a PacketError after the packets before it.
//
// mqtt-packet's parsers are shared by all connections (a small pool): it is given one complete packet per
// call, so it holds nothing between calls but the connection's settings, which are passed in each time.
// A parser per connection cost ~1 KB of idle memory (its buffer-list stream, event emitter, spare packet).
import mqttPacket from 'mqtt-packet'
import { fastDecode } from './fast-decode.js'
import { PacketFramer } from './framer.js'
import type { Packet, ProtocolVersion } from './index.js'
import { checkPacket, type Checked } from './packet-check.js'
import { withPropertyOrder } from './property-order.js'

export interface Decoder {
  push(chunk: Buffer): void
  /** Switch the decoder's protocol version (the broker learns it from CONNECT). */
  setVersion(v: ProtocolVersion): void
}

export interface DecoderOptions {
  /** Hand each packet's bytes along (the client needs them for wire-order properties). */
  keepRaw?: boolean
  /** Check each packet's bytes first (the broker). */
  strict?: boolean
  /** Refuse a packet larger than this (whole packet, bytes) once its header is read; 0 = no limit. */
  maxPacketSize?: number
}

/**
 * `version` undefined means "learn it from the CONNECT packet" (broker side): mqtt-packet adopts the
 * CONNECT it parses as the connection's settings.
 */
export function createDecoder(
  version: ProtocolVersion | undefined,
  onPacket: (p: Packet, raw?: Buffer) => void,
  onError: (e: Error) => void,
  opts: DecoderOptions = {},
): Decoder {
  return decoderFor(version, { decoded: onPacket, decodeFailed: onError }, opts)
}

/** Where a decoder hands what it read: an object, so a connection can be its own sink (no closures of its own). */
export interface DecoderSink {
  decoded(p: Packet, raw?: Buffer): void
  /** Called once: the decoder reads nothing more after it. */
  decodeFailed(e: Error): void
}

export function decoderFor(version: ProtocolVersion | undefined, sink: DecoderSink, opts: DecoderOptions = {}): Decoder {
  return new StreamDecoder(version, sink, opts.keepRaw === true, opts.strict === true, opts.maxPacketSize ?? 0)
}

type Settings = { protocolVersion?: number; bridgeMode?: boolean }

class StreamDecoder implements Decoder {
  readonly #framer: PacketFramer
  #version: ProtocolVersion | undefined
  /** mqtt-packet's settings for this connection (the CONNECT it parsed, on the broker side). */
  #settings: Settings
  #failed = false

  constructor(
    version: ProtocolVersion | undefined,
    private readonly sink: DecoderSink,
    private readonly keepRaw: boolean,
    private readonly strict: boolean,
    maxPacketSize: number,
  ) {
    this.#framer = new PacketFramer(maxPacketSize)
    this.#version = version
    this.#settings = version === undefined ? {} : { protocolVersion: version }
  }

  setVersion(v: ProtocolVersion): void {
    this.#settings = { ...this.#settings, protocolVersion: v }
    this.#version = v
  }

  push(chunk: Buffer): void {
    if (this.#failed) return
    try {
      const { bytes, ends } = this.#framer.next(chunk)
      for (let i = 0, start = 0; i < ends.length && !this.#failed; start = ends[i++]!) this.#one(bytes, start, ends[i]!)
    } catch (e) { this.#fail(e) }
  }

  #one(bytes: Buffer, start: number, end: number): void {
    let checked: Checked | undefined
    if (this.strict) {
      try {
        checked = checkPacket(bytes, this.#version, start, end)
      } catch (e) { return this.#fail(e) }
      if (checked?.version !== undefined) this.#version = checked.version
    }
    const raw = this.keepRaw ? bytes.subarray(start, end) : undefined
    const v = this.#version
    const fast = v !== undefined && v !== 5 ? fastDecode(bytes, start, end) : undefined
    if (fast !== undefined) return this.sink.decoded(fast, raw)
    const r = parseWithMqttPacket(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.#settings)
    if (r.error !== undefined) return this.#fail(r.error)
    // mqtt-packet adopts the CONNECT packet as its settings; it reads only these two of it, and keeping the whole
    // packet (client id, credentials, will) for the life of the connection cost ~100 B each (bench/RESULTS.md).
    if (r.settings !== undefined) this.#settings = { protocolVersion: r.settings.protocolVersion, bridgeMode: r.settings.bridgeMode }
    if (checked !== undefined) attachOrder(r.packet!, checked)
    this.sink.decoded(r.packet!, raw)
  }

  #fail(e: unknown): void {
    if (this.#failed) return
    this.#failed = true
    this.sink.decodeFailed(e instanceof Error ? e : new Error(String(e)))
  }
}

interface Parsed { packet?: Packet; error?: Error; settings?: Settings }
interface PooledParser { parse(b: Buffer): number; settings: Settings; result: Parsed | undefined }

const pool: PooledParser[] = []

/**
 * One whole packet through a pooled mqtt-packet parser. Re-entrant: a packet handler that makes another
 * connection decode (in-memory streams deliver synchronously) simply takes another parser from the pool.
 */
function parseWithMqttPacket(packet: Buffer, settings: Settings): Parsed {
  const parser = pool.pop() ?? newParser()
  parser.settings = settings
  const result: Parsed = {}
  parser.result = result
  try {
    parser.parse(packet)
  } finally {
    parser.result = undefined
  }
  if (result.error === undefined && result.packet === undefined) result.error = new Error('Incomplete packet')
  // A parser that failed may hold half a packet: only clean ones go back.
  if (result.error === undefined && pool.length < 8) pool.push(parser)
  return result
}

function newParser(): PooledParser {
  const p = mqttPacket.parser() as unknown as PooledParser & { on(e: string, f: (x: never) => void): void }
  p.on('packet', (packet: Packet) => {
    const r = p.result!
    r.packet = packet
    if (packet.cmd === 'connect') r.settings = p.settings // mqtt-packet adopts a CONNECT as its settings
  })
  p.on('error', (e: Error) => { p.result!.error ??= e })
  return p
}

function attachOrder(packet: Packet, c: Checked): void {
  if (c.order && packet.cmd === 'publish' && packet.properties) withPropertyOrder(packet.properties, c.order)
  if (c.willOrder && packet.cmd === 'connect' && packet.will?.properties) withPropertyOrder(packet.will.properties, c.willOrder)
}
