// The only module that imports mqtt-packet. Everything else speaks these types.
import './lean-deps.js' // must run before mqtt-packet loads: see that file
import mqttPacket from 'mqtt-packet'
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

// mqtt-packet pre-builds 65,536 two-byte buffers for packet ids and lengths on the first encode (~30 ms
// with the garbage collection it causes): worth it for a long-lived broker, wasted on a one-shot CLI.
// Off by default; the broker turns it on.
mqttPacket.writeToStream.cacheNumbers = false

/** Use mqtt-packet's pre-built number buffers (faster encoding, ~2 MB and ~30 ms once). */
export function cacheEncodedNumbers(on: boolean): void {
  mqttPacket.writeToStream.cacheNumbers = on
}

/** Encode a packet for the given protocol version (v5 fields are dropped for v3/v4). */
export function encode(packet: Packet, version: ProtocolVersion): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: version })
}

export { orderIsAmbiguous, publishWireProperties, type WireProperty } from './wire-properties.js'
/** A PUBLISH as the client hands it on: with its properties in wire order when mqtt-packet's object loses it. */
export type ReceivedPublish = IPublishPacket & { wireProperties?: import('./wire-properties.js').WireProperty[] }
