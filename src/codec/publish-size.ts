// The size of a PUBLISH on the wire, without encoding it: what a sender checks against the peer's Maximum
// Packet Size (MQTT 5 §3.2.2.3.6, §3.1.2.11.4). Only a v5 property block is built (it is small); topic and
// payload are counted, never copied.
import type { ProtocolVersion, PublishPacket } from './index.js'
import { encodeProperties } from './property-encode.js'
import { propertyOrder } from './property-order.js'

/** Bytes `encode(p, version)` would produce: fixed header, topic, packet id (QoS > 0), properties (v5), payload. */
export function publishSize(p: PublishPacket, version: ProtocolVersion): number {
  const payload = typeof p.payload === 'string' ? Buffer.byteLength(p.payload) : p.payload.length
  let remaining = 2 + Buffer.byteLength(p.topic) + (p.qos > 0 ? 2 : 0) + payload
  if (version === 5) remaining += p.properties === undefined ? 1 : encodeProperties(p.properties, propertyOrder(p.properties)).length
  return 1 + varintLength(remaining) + remaining
}

/** Bytes of a variable byte integer (MQTT 5 §1.5.5). */
function varintLength(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4
}
