// Encoding a v5 property block in a given wire order (see property-order.ts), byte for byte as
// mqtt-packet writes it when no order is given.
import type { PropertyOrder } from './property-order.js'
import { PROPERTY_BY_KEY, type PropDef } from './property-table.js'

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
    const def = PROPERTY_BY_KEY.get(key)
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
