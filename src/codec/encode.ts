// Packet encoding: mqtt-packet, plus what it cannot do. MQTT 5 acknowledgements and DISCONNECT in their
// short forms (spec 3.4.2.1, 3.14.2.1), property blocks in a given wire order (property-order.ts), and the
// MQTT 3.1 CONNACK, which has no session-present flag.
import mqttPacket from 'mqtt-packet'
import mqttPacketNumbers from 'mqtt-packet/numbers.js'
import type { Packet, ProtocolVersion } from './index.js'
import { encodeProperties, varint } from './property-encode.js'
import { propertyOrder } from './property-order.js'

const ACK_TYPE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const

export interface EncodeOptions {
  /**
   * May this call make mqtt-packet build its table of 65,536 pre-encoded two-byte numbers (~2 MB, ~30 ms
   * once per process)? Worth it for a long-lived broker, wasted on a one-shot CLI. Default false. Once the
   * table exists (built for any caller, MQTT.js included) every encode uses it; an application that set
   * `writeToStream.cacheNumbers = false` itself is obeyed.
   */
  numberCache?: boolean
}

const writeToStream = mqttPacket.writeToStream

/** mqtt-packet's encoder, without building its number table unless `o.numberCache` allows it. */
function generate(packet: Packet, version: ProtocolVersion, o: EncodeOptions): Buffer {
  if (!o.numberCache && writeToStream.cacheNumbers && mqttPacketNumbers.cache[0] === undefined) {
    // Skip the table for this call only. While the table is empty, switching the flag back on costs
    // nothing and leaves mqtt-packet exactly as it was (it will build the table for the next caller that wants it).
    writeToStream.cacheNumbers = false
    try {
      return mqttPacket.generate(packet, { protocolVersion: version })
    } finally {
      writeToStream.cacheNumbers = true
    }
  }
  return mqttPacket.generate(packet, { protocolVersion: version })
}

/** Payloads from this size on are not copied into their PUBLISH: header and payload go out as two buffers. */
export const SPLIT_PAYLOAD_BYTES = 16 * 1024

/** A packet's bytes: one buffer, or a PUBLISH's header and its (large) payload, written back to back. */
export type Wire = Buffer | readonly [Buffer, Buffer]

const NO_PAYLOAD = Buffer.alloc(0)

/**
 * Encode like encode(), except that a PUBLISH with a large payload comes back as [header, payload], the
 * payload not copied (a 50 MB message sent to ten subscribers would otherwise be copied ten times).
 */
export function encodeWire(packet: Packet, version: ProtocolVersion, o: EncodeOptions = {}): Wire {
  if (packet.cmd !== 'publish' || !Buffer.isBuffer(packet.payload) || packet.payload.length < SPLIT_PAYLOAD_BYTES) return encode(packet, version, o)
  const payload = packet.payload
  const head = encode({ ...packet, payload: NO_PAYLOAD }, version, o)
  let at = 1
  let remaining = 0
  for (let mul = 1; ; mul *= 128) {
    const b = head[at++]!
    remaining += (b & 0x7f) * mul
    if ((b & 0x80) === 0) break
  }
  return [Buffer.concat([head.subarray(0, 1), varint(remaining + payload.length), head.subarray(at)]), payload]
}

/** Bytes in a Wire. */
export function wireLength(w: Wire): number {
  return Buffer.isBuffer(w) ? w.length : w[0].length + w[1].length
}

/** Encode a packet for the given protocol version (v5 fields are dropped for v3/v4). */
export function encode(packet: Packet, version: ProtocolVersion, o: EncodeOptions = {}): Buffer {
  if (version !== 5) {
    // The hot packets of MQTT 3.1/3.1.1, written directly (mqtt-packet's generic writer is ~3x slower)
    if (packet.cmd === 'publish' && typeof packet.topic === 'string' && Buffer.isBuffer(packet.payload)) return publish311(packet)
    if (packet.cmd === 'puback' || packet.cmd === 'pubrec' || packet.cmd === 'pubrel' || packet.cmd === 'pubcomp') {
      const id = packet.messageId ?? 0
      return Buffer.from([ACK_TYPE[packet.cmd], 2, id >> 8, id & 0xff])
    }
    if (packet.cmd === 'connack') {
      // MQTT 3.1 has no session-present flag: the byte is 0
      return Buffer.from([0x20, 2, version === 4 && packet.sessionPresent ? 1 : 0, packet.returnCode ?? 0])
    }
    if (packet.cmd === 'suback' && packet.granted.length < 127 && packet.granted.every((g) => typeof g === 'number')) {
      const id = packet.messageId ?? 0
      return Buffer.from([0x90, 2 + packet.granted.length, id >> 8, id & 0xff, ...(packet.granted as number[])])
    }
  }
  if (version === 5) {
    switch (packet.cmd) {
      case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
        if (isEmpty(packet.properties)) return shortAck(ACK_TYPE[packet.cmd], packet.messageId ?? 0, packet.reasonCode ?? 0)
        break
      case 'disconnect':
        if (isEmpty(packet.properties)) return Buffer.from(packet.reasonCode ? [0xe0, 1, packet.reasonCode] : [0xe0, 0])
        if (propertyOrder(packet.properties)) return framed(0xe0, [Buffer.from([packet.reasonCode ?? 0]), encodeProperties(packet.properties, propertyOrder(packet.properties))])
        break
      case 'publish': case 'subscribe': case 'unsubscribe': case 'connect': {
        const ordered = encodeOrdered(packet, o)
        if (ordered) return ordered
        break
      }
    }
  } else if (version === 3 && packet.cmd === 'connack' && packet.sessionPresent) {
    packet = { ...packet, sessionPresent: false } // MQTT 3.1 has no session-present flag: the byte is 0
  }
  return generate(packet, version, o)
}

/** A v3.1/3.1.1 PUBLISH: fixed header, topic, packet id (QoS > 0), payload. */
function publish311(p: Extract<Packet, { cmd: 'publish' }>): Buffer {
  const payload = p.payload as Buffer
  const topicBytes = Buffer.byteLength(p.topic)
  const out = Buffer.allocUnsafe(publish311Length(topicBytes, p.qos, payload.length))
  writePublish311(out, 0, p, topicBytes)
  return out
}

/** Bytes of a v3.1/3.1.1 PUBLISH whose topic is `topicBytes` long in UTF-8. */
export function publish311Length(topicBytes: number, qos: number, payloadLength: number): number {
  const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadLength
  let header = 2
  for (let n = remaining; n >= 128; n = Math.floor(n / 128)) header++
  return header + remaining
}

/**
 * Write a v3.1/3.1.1 PUBLISH at `out[at]` (there must be publish311Length bytes of room; the payload must be a
 * Buffer); returns where it ends. Lets a writer put many PUBLISHes into one buffer without one buffer each.
 */
export function writePublish311(out: Buffer, at: number, p: Extract<Packet, { cmd: 'publish' }>, topicBytes: number): number {
  const payload = p.payload as Buffer
  const remaining = 2 + topicBytes + (p.qos > 0 ? 2 : 0) + payload.length
  out[at] = 0x30 | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0)
  let pos = at + 1
  for (let n = remaining; ; ) {
    const digit = n % 128
    n = Math.floor(n / 128)
    out[pos++] = n > 0 ? digit | 0x80 : digit
    if (n === 0) break
  }
  out[pos++] = topicBytes >> 8
  out[pos++] = topicBytes & 0xff
  pos += out.write(p.topic, pos, topicBytes, 'utf8')
  if (p.qos > 0) { const id = p.messageId ?? 0; out[pos++] = id >> 8; out[pos++] = id & 0xff }
  out.set(payload, pos)
  return pos + payload.length
}

/** "No properties": absent, or only absent values (then the reason code may stand alone, or go too). */
function isEmpty(props: object | undefined): boolean {
  if (props === undefined) return true
  for (const v of Object.values(props)) if (v !== undefined && v !== null) return false
  return true
}

/** Remaining length 2 for Success, 3 with another reason code (MQTT 5 §3.4.2.1, §3.5.2.1, §3.6.2.1, §3.7.2.1). */
function shortAck(type: number, id: number, rc: number): Buffer {
  return Buffer.from(rc === 0 ? [type, 2, id >> 8, id & 0xff] : [type, 3, id >> 8, id & 0xff, rc])
}

function framed(first: number, body: Buffer[]): Buffer {
  const b = Buffer.concat(body)
  return Buffer.concat([Buffer.from([first]), varint(b.length), b])
}

type Ordered = Extract<Packet, { cmd: 'publish' | 'subscribe' | 'unsubscribe' | 'connect' }>

/**
 * A packet whose properties (or will properties) carry a wire order: mqtt-packet encodes it without them,
 * writing an empty block (one 0x00 byte) where each goes, and our blocks replace those bytes.
 */
function encodeOrdered(packet: Ordered, o: EncodeOptions): Buffer | undefined {
  const will = packet.cmd === 'connect' ? packet.will : undefined
  const order = propertyOrder(packet.properties)
  const willOrder = propertyOrder(will?.properties)
  if (order === undefined && willOrder === undefined) return undefined
  const bare = { ...packet, properties: undefined, ...(will ? { will: { ...will, properties: undefined } } : {}) } as Packet
  const bytes = generate(bare, 5, o)
  let header = 1
  while (bytes[header]! & 0x80) header++
  header++
  let at: number
  switch (packet.cmd) {
    case 'publish': at = header + 2 + bytes.readUInt16BE(header) + (packet.qos > 0 ? 2 : 0); break
    case 'connect': at = header + 2 + bytes.readUInt16BE(header) + 4; break // name, level, flags, keepalive
    default: at = header + 2 // packet identifier
  }
  const blocks: Array<[number, Buffer]> = [[at, encodeProperties(packet.properties, order)]]
  if (will) {
    const idAt = at + 1 // after the (empty) CONNECT properties
    blocks.push([idAt + 2 + bytes.readUInt16BE(idAt), encodeProperties(will.properties, willOrder)])
  }
  const parts: Buffer[] = []
  let from = header
  for (const [offset, block] of blocks) {
    if (bytes[offset] !== 0) throw new Error(`unexpected ${packet.cmd} layout from mqtt-packet`)
    parts.push(bytes.subarray(from, offset), block)
    from = offset + 1
  }
  parts.push(bytes.subarray(from))
  return framed(bytes[0]!, parts)
}
