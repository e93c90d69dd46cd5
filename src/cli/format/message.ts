// What a formatter needs to know about one received PUBLISH (tssub and tsrr build it from the client's packet).
import type { PublishPacket, PublishProperties, ReceivedPublish, WireProperty } from '../../codec/index.js'

export interface ReceivedMessage {
  topic: string
  payload: Buffer
  qos: 0 | 1 | 2
  retain: boolean
  dup: boolean
  /** 0 for QoS 0 (mosquitto prints 0 for `%m`). */
  messageId: number
  properties?: PublishProperties
  /** The properties in wire order, when the decoder's object loses it (a repeated user-property key). */
  wireProperties?: WireProperty[]
  /** When the message arrived: `ns` is nanoseconds since the Unix epoch, `epochMs` the same in milliseconds. */
  receivedAt: { epochMs: number; ns: bigint }
}

/** One clock reading: whole seconds since the epoch and the nanoseconds within that second. */
export interface TimeParts { sec: number; nsec: number }

/** The current time with sub-millisecond precision (performance clock anchored to the wall clock). */
export function stampNow(): ReceivedMessage['receivedAt'] {
  const ms = performance.timeOrigin + performance.now()
  const ns = BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6))
  return { epochMs: Math.floor(ms), ns }
}

export function timePartsOf(at: ReceivedMessage['receivedAt']): TimeParts {
  return { sec: Number(at.ns / 1_000_000_000n), nsec: Number(at.ns % 1_000_000_000n) }
}

/** Build a ReceivedMessage from a decoded PUBLISH packet. */
export function fromPublish(p: PublishPacket, receivedAt = stampNow()): ReceivedMessage {
  const payload = typeof p.payload === 'string' ? Buffer.from(p.payload) : Buffer.from(p.payload)
  const m: ReceivedMessage = {
    topic: p.topic,
    payload,
    qos: p.qos,
    retain: p.retain,
    dup: p.dup,
    messageId: p.qos > 0 ? (p.messageId ?? 0) : 0,
    receivedAt,
  }
  if (p.properties && Object.keys(p.properties).length > 0) m.properties = p.properties
  const wire = (p as ReceivedPublish).wireProperties
  if (wire) m.wireProperties = wire
  return m
}
