// The MQTT 5 property block (spec 2.2.2): which properties each packet may carry, the strict check of a
// received block, and an encoder that writes a block in a given wire order (see property-order.ts).
import type { PropertyOrder } from './property-order.js'
import { malformed, protocolError, type Reader } from './reader.js'

/** The packets (and the will, inside CONNECT) a property block belongs to. */
export type PropertyContext =
  | 'connect' | 'will' | 'connack' | 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'subscribe' | 'suback'
  | 'unsubscribe' | 'unsuback' | 'disconnect' | 'auth'

/** Wire types; 'byte' properties are booleans in mqtt-packet's objects (maximumQoS, an 'int8', is a number). */
type PropType = 'byte' | 'int8' | 'int16' | 'int32' | 'varint' | 'binary' | 'string' | 'pair'

interface PropDef { readonly id: number; readonly key: string; readonly type: PropType; readonly in: readonly PropertyContext[] }

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
] as const).map(([id, key, type, inside]) => ({ id, key, type, in: inside }))

const BY_ID: ReadonlyMap<number, PropDef> = new Map(DEFS.map((d) => [d.id, d]))
const BY_KEY: ReadonlyMap<string, PropDef> = new Map(DEFS.map((d) => [d.key, d]))

/** Properties whose value 0 (or above 1, for the booleans) is a protocol error (MQTT 5 §3.1.2.11, §3.8.2.1.2). */
const NOT_ZERO = new Set(['receiveMaximum', 'maximumPacketSize', 'subscriptionIdentifier'])
const BOOLEAN_ONLY = new Set(['requestProblemInformation', 'requestResponseInformation'])

/**
 * Check the property block at `r` for `context` and return its wire order. Malformed (0x81): a property
 * not defined for the packet (§2.2.2.2), a block running past the packet, a string that is not MQTT UTF-8,
 * a Response Topic with wildcards [MQTT-3.3.2-14]. Protocol error (0x82): a property other than User
 * Property given twice (§2.2.2.2), Receive Maximum, Maximum Packet Size or a Subscription Identifier of 0,
 * Request Problem/Response Information other than 0 or 1.
 */
export function checkProperties(r: Reader, context: PropertyContext): PropertyOrder {
  const length = r.varint()
  if (length > r.left) throw malformed('property length runs past the end of the packet')
  const outer = r.end
  r.end = r.pos + length // reads past the block now fail as "too short"
  const order: Array<string | readonly [string, string]> = []
  let seenLow = 0 // ids 0..31 and 32..63 as bit sets
  let seenHigh = 0
  while (r.left > 0) {
    const id = r.varint()
    const def = BY_ID.get(id)
    if (def === undefined || !def.in.includes(context)) throw malformed(`property 0x${id.toString(16)} is not allowed in ${context}`)
    if (def.type === 'pair') {
      order.push([r.text('user property name'), r.text('user property value')]) // [MQTT-1.5.7-1] (v5)
      continue
    }
    const bit = 1 << (id & 31)
    const seen = id < 32 ? seenLow : seenHigh
    if (seen & bit) throw protocolError(`${def.key} given twice`)
    if (id < 32) seenLow |= bit
    else seenHigh |= bit
    const value = readValue(r, def)
    if (value === 0 && NOT_ZERO.has(def.key)) throw protocolError(`${def.key} of 0`)
    if (value > 1 && BOOLEAN_ONLY.has(def.key)) throw protocolError(`${def.key} of ${value}`)
    if (def.key === 'responseTopic' && hasWildcard(r.buf, value, r.pos)) throw malformed('response topic with a wildcard')
    order.push(def.key)
  }
  r.end = outer
  return order
}

/** The number read, or (for strings and binary data) where its bytes start. */
function readValue(r: Reader, def: PropDef): number {
  switch (def.type) {
    case 'byte': case 'int8': return r.u8()
    case 'int16': return r.u16()
    case 'int32': return r.u32()
    case 'varint': return r.varint()
    case 'binary': return r.binary()
    default: return r.string(def.key)
  }
}

function hasWildcard(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === 0x23 || buf[i] === 0x2b) return true
  return false
}

export const hasUserProperty = (order: PropertyOrder): boolean => order.some((o) => typeof o !== 'string')

/**
 * Encode `props` (an mqtt-packet properties object) as a block with its length. Values always come from
 * the object; `order` only decides the sequence. Whatever the order does not name (a property set after
 * the order was taken, e.g. a remaining message expiry or a subscription identifier) follows in object order.
 */
export function encodeProperties(props: object | undefined, order: PropertyOrder | undefined): Buffer {
  const o = (props ?? {}) as Record<string, unknown>
  const parts: Buffer[] = []
  const done = new Set<string>()
  const users = userPropertyLists(o['userProperties'])
  const put = (key: string) => {
    if (done.has(key)) return
    done.add(key)
    const v = o[key]
    if (v === undefined || v === null) return
    const def = BY_KEY.get(key)
    if (def === undefined) throw new Error(`unknown MQTT 5 property ${key}`)
    for (const one of Array.isArray(v) ? v : [v]) parts.push(encodeValue(def, one))
  }
  const putUser = (k: string, v: string) => parts.push(Buffer.concat([Buffer.from([0x26]), str(k), str(v)]))
  for (const item of order ?? []) {
    if (typeof item === 'string') { if (item !== 'userProperties') put(item); continue }
    const [k, v] = item
    const values = users.get(k)
    const at = values ? values.indexOf(v) : -1
    if (at >= 0) { values!.splice(at, 1); putUser(k, v) }
  }
  for (const key of Object.keys(o)) {
    if (key !== 'userProperties') { put(key); continue }
    for (const [k, values] of users) for (const v of values) putUser(k, v)
    users.clear()
  }
  const body = Buffer.concat(parts)
  return Buffer.concat([varint(body.length), body])
}

function userPropertyLists(u: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (u === undefined || u === null) return out
  for (const [k, v] of Object.entries(u as Record<string, unknown>)) out.set(k, (Array.isArray(v) ? v : [v]).map(String))
  return out
}

function encodeValue(def: PropDef, v: unknown): Buffer {
  const id = Buffer.from([def.id])
  switch (def.type) {
    case 'byte': case 'int8': return Buffer.from([def.id, Number(v)]) // a boolean as 0/1, as mqtt-packet writes it
    case 'int16': { const b = Buffer.alloc(3); b[0] = def.id; b.writeUInt16BE(Number(v), 1); return b }
    case 'int32': { const b = Buffer.alloc(5); b[0] = def.id; b.writeUInt32BE(Number(v), 1); return b }
    case 'varint': return Buffer.concat([id, varint(Number(v))])
    case 'binary': return Buffer.concat([id, str(v as Buffer | string)])
    case 'string': return Buffer.concat([id, str(String(v))])
    default: throw new Error(`${def.key} is written through its pairs`)
  }
}

/** Two-byte length + bytes. */
function str(v: Buffer | string): Buffer {
  const bytes = typeof v === 'string' ? Buffer.from(v) : v
  const len = Buffer.alloc(2)
  len.writeUInt16BE(bytes.length)
  return Buffer.concat([len, bytes])
}

/** A variable byte integer (MQTT 5 §1.5.5). */
export function varint(n: number): Buffer {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Buffer.from(out)
}
