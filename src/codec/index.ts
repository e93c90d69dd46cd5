// The codec's entry point (src/codec is the only importer of mqtt-packet). Everything else speaks these types.
// Importing it changes nothing process-wide: mqtt-packet (which an application may share with MQTT.js)
// keeps its own `bl`, `debug` and number-cache settings. The CLIs' start-up savings are made at bundle
// time instead (scripts/bundle.mjs).
import mqttPacket from 'mqtt-packet'
import { PacketFramer } from './framer.js'
import { checkPacket, type Checked } from './packet-check.js'
import { withPropertyOrder } from './property-order.js'
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
 * mqtt-packet's parser adopts the CONNECT it parses as its settings. `strict` (the broker) frames every
 * packet and checks its raw bytes first (packet-check.ts): a refused packet reaches `onError` as a
 * PacketError; accepted ones carry the wire order of their user properties (property-order.ts).
 */
export function createDecoder(
  version: ProtocolVersion | undefined,
  onPacket: (p: Packet, raw?: Buffer) => void,
  onError: (e: Error) => void,
  opts: { keepRaw?: boolean; strict?: boolean } = {},
): Decoder {
  const p = mqttPacket.parser(version === undefined ? {} : { protocolVersion: version })
  let failed = false
  // keepRaw: frame packets ourselves and hand each one's bytes along (the client needs them for wire-order
  // properties); strict: frame them to check them. The client's hot path does without either.
  const framer = opts.keepRaw || opts.strict ? new PacketFramer() : undefined
  let raw: Buffer | undefined
  let checked: Checked | undefined
  let known = version
  p.on('packet', (packet: Packet) => {
    if (failed) return
    if (checked !== undefined) attachOrder(packet, checked)
    onPacket(packet, opts.keepRaw ? raw : undefined)
  })
  const fail = (e: unknown) => {
    if (failed) return
    failed = true
    onError(e instanceof Error ? e : new Error(String(e)))
  }
  p.on('error', fail)
  const settings = p as unknown as { settings: { protocolVersion?: number } }
  return {
    push(chunk) {
      if (failed) return
      try {
        if (!framer) { p.parse(chunk); return }
        for (raw of framer.push(chunk)) {
          if (opts.strict) {
            checked = checkPacket(raw, known)
            if (checked?.version !== undefined) known = checked.version
          }
          p.parse(raw)
          checked = undefined
          if (failed) break
        }
      } catch (e) { fail(e) }
    },
    setVersion(v) { settings.settings = { ...settings.settings, protocolVersion: v }; known = v },
  }
}

function attachOrder(packet: Packet, c: Checked): void {
  if (c.order && packet.cmd === 'publish' && packet.properties) withPropertyOrder(packet.properties, c.order)
  if (c.willOrder && packet.cmd === 'connect' && packet.will?.properties) withPropertyOrder(packet.will.properties, c.willOrder)
}

export { encode, type EncodeOptions } from './encode.js'
export { PacketError } from './reader.js'
export { propertyOrder, withPropertyOrder, type PropertyOrder } from './property-order.js'
export { orderIsAmbiguous, publishWireProperties, type WireProperty } from './wire-properties.js'
/** A PUBLISH as the client hands it on: with its properties in wire order when mqtt-packet's object loses it. */
export type ReceivedPublish = IPublishPacket & { wireProperties?: import('./wire-properties.js').WireProperty[] }
