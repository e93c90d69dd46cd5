// Strict checks of a packet a client sent, on its raw bytes, before mqtt-packet decodes it: mqtt-packet
// decodes strings lossily, lets duplicated properties through and accepts packet identifier 0 and empty
// SUBSCRIBE/UNSUBSCRIBE. What mqtt-packet itself refuses (fixed-header flags, QoS 3 subscriptions, reason
// codes) is left to it. Used by the broker's decoder; throws PacketError.
import type { ProtocolVersion } from './index.js'
import { SAW_USER_PROPERTY, checkProperties, seenBit } from './property-check.js'
import type { PropertyContext } from './property-table.js'
import type { PropertyOrder } from './property-order.js'
import { RC } from './reason-codes.js'
import { PacketError, Reader, malformed, protocolError } from './reader.js'
import { isMqttString } from './utf8.js'

/** What the checks learnt: a CONNECT's protocol version; the wire order of property blocks holding user properties. */
export interface Checked {
  readonly version?: ProtocolVersion
  readonly order?: PropertyOrder
  readonly willOrder?: PropertyOrder
}

/**
 * Check one whole packet (fixed header included), `buf[start, end)`. `version` is the connection's
 * (undefined before CONNECT).
 */
export function checkPacket(buf: Buffer, version: ProtocolVersion | undefined, start = 0, end = buf.length): Checked | undefined {
  const first = buf[start]!
  let body = start + 2 // after the remaining length (the framer cut the packet to it)
  while (buf[body - 1]! & 0x80) body++
  const v5 = version === 5
  if (first >> 4 === 3 && !v5) return checkPublish311(buf, first, body, end) // the hot path: no Reader
  const r = new Reader(buf, body, end)
  switch (first >> 4) {
    case 1: return checkConnect(r)
    case 3: return checkPublish5(r, (first >> 1) & 3)
    case 4: return checkAck(r, v5, 'puback')
    case 5: return checkAck(r, v5, 'pubrec')
    case 6: return checkAck(r, v5, 'pubrel')
    case 7: return checkAck(r, v5, 'pubcomp')
    case 8: return checkSubscribe(r, v5)
    case 10: return checkUnsubscribe(r, v5)
    case 14: return v5 && r.left > 1 ? (r.skip(1), properties(r, 'disconnect')) : undefined
    case 15: return v5 && r.left > 1 ? (r.skip(1), properties(r, 'auth')) : undefined
    default: return undefined // PINGREQ has no body; packets only a server sends are refused on dispatch
  }
}

function properties(r: Reader, context: PropertyContext): undefined {
  checkProperties(r, context)
  return undefined
}

function checkConnect(r: Reader): Checked {
  const nameAt = r.binary()
  const name = r.buf.toString('latin1', nameAt, r.pos)
  if (name !== 'MQTT' && name !== 'MQIsdp') throw malformed(`protocol name "${name}"`) // [MQTT-3.1.2-1]: close, no CONNACK
  const raw = r.u8()
  const level = raw >= 0x80 ? raw - 0x80 : raw // bit 7: a mosquitto bridge ("try_private")
  if (!(name === 'MQIsdp' ? level === 3 : level === 4 || level === 5)) {
    throw new PacketError(RC.UNSUPPORTED_PROTOCOL_VERSION, `protocol level ${raw}`) // [MQTT-3.1.2-2]: CONNACK 0x01, close
  }
  const flags = r.u8()
  if (flags & 0x01) throw malformed('reserved CONNECT flag set') // [MQTT-3.1.2-3]
  const will = (flags & 0x04) !== 0
  const willQos = (flags >> 3) & 3
  if (!will && (willQos !== 0 || (flags & 0x20) !== 0)) throw malformed('will QoS or retain without a will') // [MQTT-3.1.2-11], [MQTT-3.1.2-13], [MQTT-3.1.2-15] (3.1.1)
  if (willQos === 3) throw malformed('will QoS 3') // [MQTT-3.1.2-14] (3.1.1), [MQTT-3.1.2-12] (v5)
  const hasUser = (flags & 0x80) !== 0
  const hasPassword = (flags & 0x40) !== 0
  if (hasPassword && !hasUser && level !== 5) throw malformed('password without user name') // [MQTT-3.1.2-22] (3.1.1)
  r.skip(2) // keepalive
  if (level === 5) {
    const seen = checkProperties(r, 'connect')
    // MQTT 5 §3.1.2.11.10: Authentication Data without an Authentication Method is a protocol error
    if ((seen & seenBit(0x16)) !== 0 && (seen & seenBit(0x15)) === 0) throw protocolError('authentication data without a method')
  }
  r.string('client identifier') // [MQTT-3.1.3-4] (3.1.1), [MQTT-3.1.3-4] (v5)
  let willOrder: Array<string | readonly [string, string]> | undefined
  if (will) {
    if (level === 5 && (checkProperties(r, 'will', willOrder = []) & SAW_USER_PROPERTY) === 0) willOrder = undefined
    r.string('will topic') // [MQTT-3.1.3-10] (3.1.1), [MQTT-3.1.3-11] (v5)
    r.binary() // will payload
  }
  if (hasUser) r.string('user name') // [MQTT-3.1.3-11] (3.1.1), [MQTT-3.1.3-12] (v5)
  if (hasPassword) r.binary()
  // e.g. a user name or password without its flag: [MQTT-3.1.2-18], [MQTT-3.1.2-20] (3.1.1), [MQTT-3.1.2-16], [MQTT-3.1.2-18] (v5)
  if (r.left !== 0) throw malformed('bytes after the CONNECT payload')
  return willOrder ? { version: level as ProtocolVersion, willOrder } : { version: level as ProtocolVersion }
}

/** A 3.1/3.1.1 PUBLISH: the topic string and the packet identifier, the checks of checkPublish. */
function checkPublish311(buf: Buffer, first: number, at: number, end: number): undefined {
  const qos = (first >> 1) & 3
  if (qos === 3) throw malformed('PUBLISH with QoS 3') // [MQTT-3.3.1-4]
  if (at + 2 > end) throw malformed('packet too short')
  const topicEnd = at + 2 + buf.readUInt16BE(at)
  if (topicEnd + (qos > 0 ? 2 : 0) > end) throw malformed('packet too short')
  if (!isMqttString(buf, at + 2, topicEnd)) throw malformed('topic name is not valid UTF-8 or holds U+0000') // [MQTT-3.3.2-1]
  if (qos > 0 && buf.readUInt16BE(topicEnd) === 0) throw protocolError('packet identifier 0') // [MQTT-2.3.1-1] (3.1.1)
  return undefined
}

function checkPublish5(r: Reader, qos: number): Checked | undefined {
  if (qos === 3) throw malformed('PUBLISH with QoS 3') // [MQTT-3.3.1-4]
  r.string('topic name') // [MQTT-3.3.2-1] (v5)
  if (qos > 0 && r.u16() === 0) throw protocolError('packet identifier 0') // [MQTT-2.2.1-3] (v5)
  const order: Array<string | readonly [string, string]> = []
  const seen = checkProperties(r, 'publish', order)
  if ((seen & seenBit(0x0b)) !== 0) throw protocolError('subscription identifier from a client') // [MQTT-3.3.4-6] (v5)
  return (seen & SAW_USER_PROPERTY) !== 0 ? { order } : undefined
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP: a non-zero packet id (mosquitto closes on 0 too); v5 reason code and properties. */
function checkAck(r: Reader, v5: boolean, context: PropertyContext): undefined {
  if (r.u16() === 0) throw protocolError('acknowledgement of packet identifier 0')
  if (v5 && r.left > 1) { r.skip(1); checkProperties(r, context) }
  return undefined
}

function checkSubscribe(r: Reader, v5: boolean): undefined {
  if (r.u16() === 0) throw protocolError('packet identifier 0') // [MQTT-2.3.1-1] (3.1.1), [MQTT-2.2.1-3] (v5)
  if (v5) checkProperties(r, 'subscribe')
  if (r.left === 0) throw protocolError('SUBSCRIBE without a topic filter') // [MQTT-3.8.3-3] (3.1.1), [MQTT-3.8.3-2] (v5)
  while (r.left > 0) {
    r.string('topic filter') // [MQTT-3.8.3-1] (3.1.1, v5)
    r.skip(1) // subscription options: mqtt-packet checks their reserved bits
  }
  return undefined
}

function checkUnsubscribe(r: Reader, v5: boolean): undefined {
  if (r.u16() === 0) throw protocolError('packet identifier 0') // [MQTT-2.3.1-1] (3.1.1), [MQTT-2.2.1-3] (v5)
  if (v5) checkProperties(r, 'unsubscribe')
  if (r.left === 0) throw protocolError('UNSUBSCRIBE without a topic filter') // [MQTT-3.10.3-2] (3.1.1, v5)
  while (r.left > 0) r.string('topic filter') // [MQTT-3.10.3-1] (3.1.1, v5)
  return undefined
}
