// Will messages: taken from CONNECT, dropped on a normal DISCONNECT, published on an abnormal end of the
// connection (or v5 DISCONNECT 0x04), after the v5 will-delay-interval or when the session ends.
import type { ConnectPacket } from '../codec/index.js'
import { isValidTopicName } from '../codec/topics.js'
import { RC } from '../codec/reason-codes.js'
import { ProtocolError } from '../core/errors.js'
import { makeMessage, type Message } from './message.js'

export interface Will {
  readonly message: Message
  /** v5 will-delay-interval in ms (0 for v3). */
  readonly delayMs: number
}

/** The will of a CONNECT, validated; undefined when it carries none. */
export function willFromConnect(p: ConnectPacket, now: number): Will | undefined {
  const w = p.will
  if (!w) return undefined
  if (!isValidTopicName(w.topic)) throw new ProtocolError(RC.TOPIC_NAME_INVALID, 'invalid will topic') // [MQTT-3.1.3-11]
  const { willDelayInterval, ...props } = w.properties ?? {}
  const payload = Buffer.isBuffer(w.payload) ? w.payload : Buffer.from(w.payload ?? '')
  return {
    message: makeMessage(w.topic, payload, w.qos ?? 0, w.retain ?? false, p.protocolVersion === 5 ? props : undefined, now),
    delayMs: p.protocolVersion === 5 ? (willDelayInterval ?? 0) * 1000 : 0,
  }
}
