// The codec's entry point (src/codec is the only importer of mqtt-packet). Everything else speaks these types.
// Importing it changes nothing process-wide: mqtt-packet (which an application may share with MQTT.js)
// keeps its own `bl`, `debug` and number-cache settings. The CLIs' start-up savings are made at bundle
// time instead (scripts/bundle.mjs).
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

export { createDecoder, decoderFor, type Decoder, type DecoderOptions, type DecoderSink } from './decoder.js'
export { encode, encodeWire, wireLength, publish311Length, writePublish311, SPLIT_PAYLOAD_BYTES, type EncodeOptions, type Wire } from './encode.js'
export { PacketError } from './reader.js'
export { propertyOrder, withPropertyOrder, type PropertyOrder } from './property-order.js'
export { orderIsAmbiguous, publishWireProperties, type WireProperty } from './wire-properties.js'
/** A PUBLISH as the client hands it on: with its properties in wire order when mqtt-packet's object loses it. */
export type ReceivedPublish = IPublishPacket & { wireProperties?: import('./wire-properties.js').WireProperty[] }
