// MQTT 5 properties (spec 2.2.2.2, table 2-4): identifier, mqtt-packet's key, wire type, and the packets
// (and the will, inside CONNECT) that may carry each. Shared by the strict check and the encoder.

/** The packets (and the will, inside CONNECT) a property block belongs to. */
export type PropertyContext =
  | 'connect' | 'will' | 'connack' | 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'subscribe' | 'suback'
  | 'unsubscribe' | 'unsuback' | 'disconnect' | 'auth'

export const CONTEXT_BIT: Readonly<Record<PropertyContext, number>> = {
  connect: 1, will: 2, connack: 4, publish: 8, puback: 16, pubrec: 32, pubrel: 64, pubcomp: 128, subscribe: 256,
  suback: 512, unsubscribe: 1024, unsuback: 2048, disconnect: 4096, auth: 8192,
}

/** Wire types; 'byte' properties are booleans in mqtt-packet's objects (maximumQoS, an 'int8', is a number). */
export type PropType = 'byte' | 'int8' | 'int16' | 'int32' | 'varint' | 'binary' | 'string' | 'pair'

export interface PropDef {
  readonly id: number
  readonly key: string
  readonly type: PropType
  /** Bit set of the contexts (CONTEXT_BIT) the property belongs to. */
  readonly in: number
}

const PUB: readonly PropertyContext[] = ['publish', 'will']
const REASON: readonly PropertyContext[] = ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth']
const ALL: readonly PropertyContext[] = ['connect', 'will', 'publish', 'subscribe', 'unsubscribe', ...REASON]

/** MQTT 5 table 2-4, with mqtt-packet's key for each property. */
const DEFS: readonly PropDef[] = ([
  [0x01, 'payloadFormatIndicator', 'byte', PUB],
  [0x02, 'messageExpiryInterval', 'int32', PUB],
  [0x03, 'contentType', 'string', PUB],
  [0x08, 'responseTopic', 'string', PUB],
  [0x09, 'correlationData', 'binary', PUB],
  [0x0b, 'subscriptionIdentifier', 'varint', ['publish', 'subscribe']],
  [0x11, 'sessionExpiryInterval', 'int32', ['connect', 'connack', 'disconnect']],
  [0x12, 'assignedClientIdentifier', 'string', ['connack']],
  [0x13, 'serverKeepAlive', 'int16', ['connack']],
  [0x15, 'authenticationMethod', 'string', ['connect', 'connack', 'auth']],
  [0x16, 'authenticationData', 'binary', ['connect', 'connack', 'auth']],
  [0x17, 'requestProblemInformation', 'byte', ['connect']],
  [0x18, 'willDelayInterval', 'int32', ['will']],
  [0x19, 'requestResponseInformation', 'byte', ['connect']],
  [0x1a, 'responseInformation', 'string', ['connack']],
  [0x1c, 'serverReference', 'string', ['connack', 'disconnect']],
  [0x1f, 'reasonString', 'string', REASON],
  [0x21, 'receiveMaximum', 'int16', ['connect', 'connack']],
  [0x22, 'topicAliasMaximum', 'int16', ['connect', 'connack']],
  [0x23, 'topicAlias', 'int16', ['publish']],
  [0x24, 'maximumQoS', 'int8', ['connack']],
  [0x25, 'retainAvailable', 'byte', ['connack']],
  [0x26, 'userProperties', 'pair', ALL],
  [0x27, 'maximumPacketSize', 'int32', ['connect', 'connack']],
  [0x28, 'wildcardSubscriptionAvailable', 'byte', ['connack']],
  [0x29, 'subscriptionIdentifiersAvailable', 'byte', ['connack']],
  [0x2a, 'sharedSubscriptionAvailable', 'byte', ['connack']],
] as const).map(([id, key, type, inside]) => ({ id, key, type, in: inside.reduce((bits, c) => bits | CONTEXT_BIT[c], 0) }))

/** By identifier (an array: this is looked up for every property of every packet). */
export const PROPERTY_BY_ID: ReadonlyArray<PropDef | undefined> = DEFS.reduce<Array<PropDef | undefined>>((a, d) => { a[d.id] = d; return a }, [])
export const PROPERTY_BY_KEY: ReadonlyMap<string, PropDef> = new Map(DEFS.map((d) => [d.key, d]))
