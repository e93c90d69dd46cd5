// A v5 PUBLISH's properties in wire order. mqtt-packet folds user properties into an object keyed by name,
// so `a=1, b=2, a=3` comes out as {a: [1, 3], b: 2}; mosquitto_sub prints them in wire order.
import type { PublishProperties } from './index.js'

export type WireProperty =
  | { name: 'payloadFormatIndicator' | 'messageExpiryInterval' | 'topicAlias' | 'subscriptionIdentifier'; value: number }
  | { name: 'contentType' | 'responseTopic'; value: string }
  | { name: 'correlationData'; value: Buffer }
  | { name: 'userProperty'; key: string; value: string }

/** Wire order matters only when a key repeats (an array in mqtt-packet's object) or there are several subscription ids. */
export function orderIsAmbiguous(p: PublishProperties | undefined): boolean {
  if (!p) return false
  if (Array.isArray(p.subscriptionIdentifier)) return true
  return p.userProperties !== undefined && Object.values(p.userProperties).some(Array.isArray)
}

/** Decode the property section of a raw v5 PUBLISH; undefined if the bytes do not hold one. */
export function publishWireProperties(raw: Buffer): WireProperty[] | undefined {
  const r = new Reader(raw)
  const header = r.byte()
  if (header === undefined || header >> 4 !== 3) return undefined
  r.varint() // remaining length
  r.skip(r.uint16() ?? 0) // topic
  if (((header >> 1) & 3) > 0) r.skip(2) // packet id
  const length = r.varint()
  if (length === undefined) return undefined
  const end = r.pos + length
  const out: WireProperty[] = []
  while (r.pos < end) {
    const id = r.varint()
    switch (id) {
      case 0x01: out.push({ name: 'payloadFormatIndicator', value: r.byte() ?? 0 }); break
      case 0x02: out.push({ name: 'messageExpiryInterval', value: r.uint32() ?? 0 }); break
      case 0x03: out.push({ name: 'contentType', value: r.string() }); break
      case 0x08: out.push({ name: 'responseTopic', value: r.string() }); break
      case 0x09: out.push({ name: 'correlationData', value: r.binary() }); break
      case 0x0b: out.push({ name: 'subscriptionIdentifier', value: r.varint() ?? 0 }); break
      case 0x23: out.push({ name: 'topicAlias', value: r.uint16() ?? 0 }); break
      case 0x26: { const key = r.string(); out.push({ name: 'userProperty', key, value: r.string() }); break }
      default: return undefined // not a PUBLISH property: leave it to the decoder's own view
    }
    if (r.pos > end) return undefined
  }
  return out
}

class Reader {
  pos = 0
  constructor(private readonly b: Buffer) {}
  byte(): number | undefined { return this.b[this.pos++] }
  uint16(): number | undefined { const v = this.pos + 2 <= this.b.length ? this.b.readUInt16BE(this.pos) : undefined; this.pos += 2; return v }
  uint32(): number | undefined { const v = this.pos + 4 <= this.b.length ? this.b.readUInt32BE(this.pos) : undefined; this.pos += 4; return v }
  skip(n: number): void { this.pos += n }
  binary(): Buffer { const n = this.uint16() ?? 0; const v = Buffer.from(this.b.subarray(this.pos, this.pos + n)); this.pos += n; return v }
  string(): string { return this.binary().toString('utf8') }
  varint(): number | undefined {
    let value = 0
    for (let i = 0, m = 1; i < 4; i++, m *= 128) {
      const b = this.byte()
      if (b === undefined) return undefined
      value += (b & 0x7f) * m
      if ((b & 0x80) === 0) return value
    }
    return undefined
  }
}
