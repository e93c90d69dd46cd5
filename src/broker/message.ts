// A routed application message: what the broker holds between a PUBLISH in and the PUBLISHes out.
import { encodeWire, type EncodeOptions, type ProtocolVersion, type PublishPacket, type PublishProperties, type QoS, type Wire } from '../codec/index.js'

export interface Message {
  readonly topic: string
  /** May be replaced by a compact copy once the message is held (see Accounting.hold). */
  payload: Buffer
  readonly qos: QoS
  readonly retain: boolean
  /** v5 properties as published, minus topic alias and subscription identifiers. */
  readonly properties: PublishProperties | undefined
  /** Absolute expiry time in ms (from message-expiry-interval), or 0 for never. */
  readonly expiresAt: number
  /** Pre-encoded QoS 0 PUBLISH bytes, one slot per (v5?, retain flag) variant; filled lazily. */
  encoded: (Wire | undefined)[] | undefined
  /** How many holders keep it (session queues, in-flight windows, the retained set): see session-events.ts. */
  refs: number
  /** Its number in the durable store (0 = not written there). */
  storeId: number
  /**
   * Durable mode: called once when nothing holds it any more (refs drops to 0), by the gate whose PUBACK for it
   * waits; every subscriber has it, so the PUBACK need not wait for the sync (durability-gate.ts).
   */
  freed: (() => void) | undefined
  /**
   * How many sessions the router is handing it to (set per route; a hint only): one receiver gets it encoded
   * straight into its write batch, several share one encoding (encoded).
   */
  audience?: number
}

/** A message routed to one session at one QoS: what a session's queue and window hold. */
export interface Delivery {
  readonly message: Message
  /** The retain flag as it goes out (retain-as-published, or a retained message sent on subscribe). */
  readonly retain: boolean
  /** v5 subscription identifiers of the matching subscriptions. */
  readonly subIds: number[] | undefined
}

/** Build a Message from an inbound publish (or an inline/will publish), stamping the expiry time. */
export function makeMessage(
  topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: PublishProperties | undefined, now: number,
): Message {
  let props = properties
  if (props && (props.topicAlias !== undefined || props.subscriptionIdentifier !== undefined)) {
    const { topicAlias: _a, subscriptionIdentifier: _s, ...rest } = props
    props = rest
  }
  if (props && Object.keys(props).length === 0) props = undefined
  const expiry = props?.messageExpiryInterval
  return { topic, payload, qos, retain, properties: props, expiresAt: expiry ? now + expiry * 1000 : 0, encoded: undefined, refs: 0, storeId: 0, freed: undefined, audience: 0 }
}

export function isExpired(m: Message, now: number): boolean {
  return m.expiresAt !== 0 && m.expiresAt <= now
}

/** Properties for delivery: the expiry interval counts down the time spent in the broker [MQTT-3.3.2-6]. */
export function deliveryProperties(m: Message, now: number, subIds: number[] | undefined): PublishProperties | undefined {
  if (m.expiresAt === 0 && subIds === undefined) return m.properties
  const props: PublishProperties = { ...m.properties }
  if (m.expiresAt !== 0) props.messageExpiryInterval = Math.max(1, Math.ceil((m.expiresAt - now) / 1000))
  if (subIds !== undefined) props.subscriptionIdentifier = subIds.length === 1 ? subIds[0]! : subIds
  return props
}

/** The PUBLISH packet for one subscriber (messageId is filled in by the session for QoS > 0). */
export function toPublishPacket(m: Message, qos: QoS, retain: boolean, now: number, subIds?: number[]): PublishPacket {
  const packet: PublishPacket = { cmd: 'publish', topic: m.topic, payload: m.payload, qos, retain, dup: false }
  const props = deliveryProperties(m, now, subIds)
  if (props) packet.properties = props
  return packet
}

/**
 * QoS 0 PUBLISH bytes shared by every subscriber of the same variant: v3.1 and v3.1.1 encode a PUBLISH
 * identically, v5 adds properties; the retain flag is the other variable. Encoded once, reused by all.
 */
export function encodedQos0(m: Message, version: ProtocolVersion, retain: boolean, now: number, o?: EncodeOptions): Wire {
  const slot = (version === 5 ? 2 : 0) + (retain ? 1 : 0)
  const cache = (m.encoded ??= [undefined, undefined, undefined, undefined])
  let bytes = cache[slot]
  if (bytes === undefined) {
    bytes = encodeWire(toPublishPacket(m, 0, retain, now), version, o)
    // an expiring message's remaining interval changes with time: only cache the never-expiring ones
    if (m.expiresAt === 0) cache[slot] = bytes
  }
  return bytes
}
