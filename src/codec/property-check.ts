// The strict check of a received MQTT 5 property block (spec 2.2.2).
import { malformed, protocolError, type Reader } from './reader.js'
import { CONTEXT_BIT, PROPERTY_BY_ID, type PropDef, type PropertyContext } from './property-table.js'

/** In checkProperties' result: a User Property was seen (bit 0; no property has identifier 0). */
export const SAW_USER_PROPERTY = 1
/** In checkProperties' result: the bit of a property whose identifier is below 32. */
export const seenBit = (id: number): number => 1 << id

const NOT_ZERO = 1
const BOOLEAN_ONLY = 2
const TOPIC_NAME = 3
/** Value rules (MQTT 5 §3.1.2.11.3/4/6/7, §3.8.2.1.2, [MQTT-3.3.2-14]), by identifier. */
const RULE: Readonly<Record<number, number>> = { 0x21: NOT_ZERO, 0x27: NOT_ZERO, 0x0b: NOT_ZERO, 0x17: BOOLEAN_ONLY, 0x19: BOOLEAN_ONLY, 0x08: TOPIC_NAME }

/**
 * Check the property block at `r` for `context`; push the wire order into `order` when given. Malformed
 * (0x81): a property not defined for the packet (§2.2.2.2), a block running past the packet, a string that
 * is not MQTT UTF-8, a Response Topic with wildcards [MQTT-3.3.2-14]. Protocol error (0x82): a property other
 * than User Property given twice (§2.2.2.2), Receive Maximum, Maximum Packet Size or a Subscription
 * Identifier of 0, Request Problem/Response Information other than 0 or 1. Returns the bits (seenBit) of the
 * properties below identifier 32 that were present, plus SAW_USER_PROPERTY.
 */
export function checkProperties(r: Reader, context: PropertyContext, order?: Array<string | readonly [string, string]>): number {
  const length = r.varint()
  if (length === 0) return 0
  if (length > r.left) throw malformed('property length runs past the end of the packet')
  const outer = r.end
  r.end = r.pos + length // reads past the block now fail as "too short"
  const contextBit = CONTEXT_BIT[context]
  let seenLow = 0 // ids 0..31 and 32..63 as bit sets
  let seenHigh = 0
  while (r.left > 0) {
    const id = r.varint()
    const def = PROPERTY_BY_ID[id]
    if (def === undefined || (def.in & contextBit) === 0) throw malformed(`property 0x${id.toString(16)} is not allowed in ${context}`)
    if (def.type === 'pair') {
      seenLow |= SAW_USER_PROPERTY
      if (order) order.push([r.text('user property name'), r.text('user property value')]) // [MQTT-1.5.7-1] (v5)
      else { r.string('user property name'); r.string('user property value') }
      continue
    }
    const bit = 1 << (id & 31)
    if (((id < 32 ? seenLow : seenHigh) & bit) !== 0) throw protocolError(`${def.key} given twice`)
    if (id < 32) seenLow |= bit
    else seenHigh |= bit
    const value = readValue(r, def)
    const rule = RULE[id]
    if (rule !== undefined) checkRule(rule, def, value, r)
    order?.push(def.key)
  }
  r.end = outer
  return seenLow
}

function checkRule(rule: number, def: PropDef, value: number, r: Reader): void {
  if (rule === NOT_ZERO && value === 0) throw protocolError(`${def.key} of 0`)
  if (rule === BOOLEAN_ONLY && value > 1) throw protocolError(`${def.key} of ${value}`)
  if (rule === TOPIC_NAME) {
    for (let i = value; i < r.pos; i++) if (r.buf[i] === 0x23 || r.buf[i] === 0x2b) throw malformed('response topic with a wildcard')
  }
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
