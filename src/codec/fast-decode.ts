// The packets that make up nearly all MQTT 3.1/3.1.1 traffic — PUBLISH, the four acknowledgements, PINGREQ
// and PINGRESP — decoded straight from their framed bytes, without mqtt-packet's parser (its buffer list,
// event emitter and debug calls cost about a third of the broker's time per message). Anything unusual
// (wrong fixed-header flags, a short packet, MQTT 5, any other type) returns undefined and goes to
// mqtt-packet, which decides as before. The objects have the fields mqtt-packet's have.
import type { Packet } from './index.js'

const ACKS = ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const


/**
 * Decode the packet `buf[start, end)` (one whole packet), or undefined. The payload is a view of `buf`
 * (as mqtt-packet's is): whoever keeps a message for long copies it (the broker's Accounting does).
 */
export function fastDecode(buf: Buffer, start: number, end: number): Packet | undefined {
  const first = buf[start]!
  const type = first >> 4
  let pos = start + 1
  let length = 0
  for (let mul = 1; ; mul *= 128) {
    const b = buf[pos++]!
    length += (b & 0x7f) * mul
    if ((b & 0x80) === 0) break
  }
  if (type === 3) {
    const qos = (first >> 1) & 3
    if (qos === 3 || pos + 2 > end) return undefined
    const topicEnd = pos + 2 + buf.readUInt16BE(pos)
    const payloadAt = topicEnd + (qos > 0 ? 2 : 0)
    if (payloadAt > end) return undefined
    const payload = buf.subarray(payloadAt, end)
    const p = {
      cmd: 'publish', retain: (first & 1) === 1, qos, dup: (first & 8) === 8, length,
      topic: buf.toString('utf8', pos + 2, topicEnd), payload,
    } as Packet & { messageId?: number }
    if (qos > 0) p.messageId = buf.readUInt16BE(topicEnd)
    return p
  }
  if (type >= 4 && type <= 7) {
    if (length !== 2 || (first & 0x0f) !== (type === 6 ? 2 : 0)) return undefined
    return { cmd: ACKS[type - 4]!, retain: false, qos: type === 6 ? 1 : 0, dup: false, length, topic: null, payload: null, messageId: buf.readUInt16BE(pos) } as unknown as Packet
  }
  if ((type === 12 || type === 13) && first === type << 4 && length === 0) {
    return { cmd: type === 12 ? 'pingreq' : 'pingresp', retain: false, qos: 0, dup: false, length: 0, topic: null, payload: null } as unknown as Packet
  }
  return undefined
}
