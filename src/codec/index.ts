// The only module that imports mqtt-packet. Everything else speaks these types.
// Importing it changes nothing process-wide: mqtt-packet (which an application may share with MQTT.js)
// keeps its own `bl`, `debug` and number-cache settings. The CLIs' start-up savings are made at bundle
// time instead (scripts/bundle.mjs).
import mqttPacket from 'mqtt-packet'
import mqttPacketNumbers from 'mqtt-packet/numbers.js'
import { PacketFramer } from './framer.js'
import type {
  Packet, IConnectPacket, IConnackPacket, IPublishPacket, IPubackPacket, IPubrecPacket, IPubrelPacket,
  IPubcompPacket, ISubscribePacket, ISubackPacket, IUnsubscribePacket, IUnsubackPacket, IPingreqPacket,
  IPingrespPacket, IDisconnectPacket, IAuthPacket, ISubscription, QoS, UserProperties,
} from 'mqtt-packet'

export type {
  Packet, IConnectPacket as ConnectPacket, IConnackPacket as ConnackPacket, IPublishPacket as PublishPacket,
  IPubackPacket as PubackPacket, IPubrecPacket as PubrecPacket, IPubrelPacket as PubrelPacket,
  IPubcompPacket as PubcompPacket, ISubscribePacket as SubscribePacket, ISubackPacket as SubackPacket,
  IUnsubscribePacket as UnsubscribePacket, IUnsubackPacket as UnsubackPacket, IPingreqPacket as PingreqPacket,
  IPingrespPacket as PingrespPacket, IDisconnectPacket as DisconnectPacket, IAuthPacket as AuthPacket,
  ISubscription as Subscription, QoS, UserProperties,
}

/** 3 = MQTT 3.1 (MQIsdp), 4 = MQTT 3.1.1, 5 = MQTT 5.0 */
export type ProtocolVersion = 3 | 4 | 5

export type PublishProperties = NonNullable<IPublishPacket['properties']>
export type ConnectProperties = NonNullable<IConnectPacket['properties']>
export type WillProperties = NonNullable<NonNullable<IConnectPacket['will']>['properties']>
export type SubscribeProperties = NonNullable<ISubscribePacket['properties']>
export type DisconnectProperties = NonNullable<IDisconnectPacket['properties']>

export interface Decoder {
  push(chunk: Buffer): void
  /** Switch the decoder's protocol version (the broker learns it from CONNECT). */
  setVersion(v: ProtocolVersion): void
}

/**
 * A streaming decoder. `version` undefined means "learn it from the CONNECT packet" (broker side):
 * mqtt-packet's parser adopts the CONNECT it parses as its settings.
 */
export function createDecoder(
  version: ProtocolVersion | undefined,
  onPacket: (p: Packet, raw?: Buffer) => void,
  onError: (e: Error) => void,
  opts: { keepRaw?: boolean } = {},
): Decoder {
  const p = mqttPacket.parser(version === undefined ? {} : { protocolVersion: version })
  let failed = false
  // keepRaw: frame packets ourselves and hand each one's bytes along (the client needs them for wire-order
  // properties); the broker's hot path does without.
  const framer = opts.keepRaw ? new PacketFramer() : undefined
  let raw: Buffer | undefined
  p.on('packet', (packet: Packet) => { if (!failed) onPacket(packet, raw) })
  p.on('error', (e: unknown) => {
    if (failed) return
    failed = true
    onError(e instanceof Error ? e : new Error(String(e)))
  })
  const settings = p as unknown as { settings: { protocolVersion?: number } }
  return {
    push(chunk) {
      if (failed) return
      try {
        if (!framer) p.parse(chunk)
        else for (raw of framer.push(chunk)) { p.parse(raw); if (failed) break }
      } catch (e) { if (!failed) { failed = true; onError(e instanceof Error ? e : new Error(String(e))) } }
    },
    setVersion(v) { settings.settings = { ...settings.settings, protocolVersion: v } },
  }
}

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

/** Encode a packet for the given protocol version (v5 fields are dropped for v3/v4). */
export function encode(packet: Packet, version: ProtocolVersion, o: EncodeOptions = {}): Buffer {
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

export { orderIsAmbiguous, publishWireProperties, type WireProperty } from './wire-properties.js'
/** A PUBLISH as the client hands it on: with its properties in wire order when mqtt-packet's object loses it. */
export type ReceivedPublish = IPublishPacket & { wireProperties?: import('./wire-properties.js').WireProperty[] }
