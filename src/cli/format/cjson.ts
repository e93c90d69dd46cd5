// A model of cJSON 1.7.15 (what Debian's mosquitto_sub links): its parser's exact acceptance rules and its
// printer's exact bytes (escaping, %1.15g/%1.17g numbers, cJSON_Print's TAB layout). Strings are bytes.
import { cGeneral } from './c-number.js'

export type CJson =
  | { type: 'null' } | { type: 'bool'; value: boolean } | { type: 'number'; value: number }
  | { type: 'string'; value: Buffer } | { type: 'array'; items: CJson[] }
  | { type: 'object'; entries: Array<[Buffer, CJson]> }

export const jNull: CJson = { type: 'null' }
export const jNum = (value: number): CJson => ({ type: 'number', value })
export const jBool = (value: boolean): CJson => ({ type: 'bool', value })
/** A C string: cut at the first NUL, as cJSON_CreateString(char *) sees it. */
export const jStr = (value: Buffer | string): CJson => ({ type: 'string', value: cString(value) })
/** A string that keeps NUL bytes (printed as \u0000): our lossless `%j` payload. */
export const jBytes = (value: Buffer): CJson => ({ type: 'string', value })
export const jObj = (entries: Array<[string | Buffer, CJson]>): CJson =>
  ({ type: 'object', entries: entries.map(([k, v]) => [cString(k), v]) })

export function cString(v: Buffer | string): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v) : v
  const nul = b.indexOf(0)
  return nul < 0 ? b : b.subarray(0, nul)
}

const NESTING_LIMIT = 1000

/** cJSON_ParseWithOpts(payload, &end, true) plus mosquitto's `end == payload + len` check. */
export function parseCJson(payload: Buffer): CJson | undefined {
  if (payload.indexOf(0) >= 0) return undefined // parsing stops at the NUL, so `end` falls short
  const buf = Buffer.concat([payload, Buffer.from([0])])
  let pos = 0
  let depth = 0
  const len = buf.length
  const skipWs = () => {
    while (pos < len && buf[pos]! <= 32) pos++
    if (pos === len) pos--
  }
  const canRead = (n: number) => pos + n <= len
  const startsWith = (s: string) => canRead(s.length) && buf.toString('latin1', pos, pos + s.length) === s

  function hex4(at: number): number {
    let h = 0
    for (let i = 0; i < 4; i++) {
      const c = buf[at + i]!
      let v: number
      if (c >= 0x30 && c <= 0x39) v = c - 0x30
      else if (c >= 0x41 && c <= 0x46) v = c - 0x41 + 10
      else if (c >= 0x61 && c <= 0x66) v = c - 0x61 + 10
      else return 0 // cJSON: invalid hex reads as 0
      h = (h << 4) | v
    }
    return h
  }

  function parseString(): Buffer | undefined {
    if (buf[pos] !== 0x22) return undefined
    let end = pos + 1
    while (end < len && buf[end] !== 0x22) {
      if (buf[end] === 0x5c) { if (end + 1 >= len) return undefined; end++ }
      end++
    }
    if (end >= len || buf[end] !== 0x22) return undefined
    const out: number[] = []
    let i = pos + 1
    while (i < end) {
      if (buf[i] !== 0x5c) { out.push(buf[i]!); i++; continue }
      const e = buf[i + 1]
      const simple: Record<number, number> = { 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f }
      if (e !== undefined && simple[e] !== undefined) { out.push(simple[e]!); i += 2; continue }
      if (e !== 0x75) return undefined
      if (end - i < 6) return undefined
      const first = hex4(i + 2)
      if (first >= 0xdc00 && first <= 0xdfff) return undefined
      let cp = first
      let seq = 6
      if (first >= 0xd800 && first <= 0xdbff) {
        const s2 = i + 6
        if (end - s2 < 6 || buf[s2] !== 0x5c || buf[s2 + 1] !== 0x75) return undefined
        const second = hex4(s2 + 2)
        if (second < 0xdc00 || second > 0xdfff) return undefined
        cp = 0x10000 + (((first & 0x3ff) << 10) | (second & 0x3ff))
        seq = 12
      }
      out.push(...Buffer.from(String.fromCodePoint(cp)))
      i += seq
    }
    pos = end + 1
    return cString(Buffer.from(out))
  }

  function parseNumber(): number | undefined {
    let i = 0
    let s = ''
    while (i < 63 && pos + i < len) {
      const c = String.fromCharCode(buf[pos + i]!)
      if (!/[0-9+\-eE.]/.test(c)) break
      s += c
      i++
    }
    const m = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s)
    if (!m) return undefined
    pos += m[0].length
    return Number(m[0])
  }

  function parseValue(): CJson | undefined {
    if (startsWith('null')) { pos += 4; return jNull }
    if (startsWith('false')) { pos += 5; return jBool(false) }
    if (startsWith('true')) { pos += 4; return jBool(true) }
    const c = buf[pos]
    if (c === undefined) return undefined
    if (c === 0x22) { const s = parseString(); return s && { type: 'string', value: s } }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) { const n = parseNumber(); return n === undefined ? undefined : jNum(n) }
    if (c === 0x5b || c === 0x7b) return parseContainer(c === 0x7b)
    return undefined
  }

  function parseContainer(isObject: boolean): CJson | undefined {
    if (depth >= NESTING_LIMIT) return undefined
    depth++
    const close = isObject ? 0x7d : 0x5d
    const items: CJson[] = []
    const entries: Array<[Buffer, CJson]> = []
    pos++
    skipWs()
    if (buf[pos] !== close) {
      pos--
      do {
        pos++
        skipWs()
        let key: Buffer | undefined
        if (isObject) {
          key = parseString()
          if (!key) return undefined
          skipWs()
          if (buf[pos] !== 0x3a) return undefined
          pos++
          skipWs()
        }
        const v = parseValue()
        if (!v) return undefined
        if (isObject) entries.push([key!, v]); else items.push(v)
        skipWs()
      } while (buf[pos] === 0x2c)
      if (buf[pos] !== close) return undefined
    }
    depth--
    pos++
    return isObject ? { type: 'object', entries } : { type: 'array', items }
  }

  // skip_utf8_bom needs 4 readable bytes (the BOM plus one).
  if (len >= 5 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3
  skipWs()
  const v = parseValue()
  if (!v) return undefined
  skipWs()
  if (pos >= len || buf[pos] !== 0) return undefined
  return v
}

/** cJSON's print_number: %1.15g, or %1.17g when %1.15g does not read back (within DBL_EPSILON). */
export function cJsonNumber(d: number): string {
  if (!Number.isFinite(d)) return 'null'
  const short = cGeneral(d, 15)
  const test = Number(short)
  const max = Math.max(Math.abs(test), Math.abs(d))
  return Math.abs(test - d) <= max * Number.EPSILON ? short : cGeneral(d, 17)
}

/** cJSON's print_string_ptr over bytes (NUL printed as \u0000 for our lossless payloads). */
export function cJsonString(b: Buffer): Buffer {
  const out: number[] = [0x22]
  for (const c of b) {
    if (c > 31 && c !== 0x22 && c !== 0x5c) { out.push(c); continue }
    out.push(0x5c)
    switch (c) {
      case 0x5c: out.push(0x5c); break
      case 0x22: out.push(0x22); break
      case 8: out.push(0x62); break
      case 12: out.push(0x66); break
      case 10: out.push(0x6e); break
      case 13: out.push(0x72); break
      case 9: out.push(0x74); break
      default: out.push(...Buffer.from('u' + c.toString(16).padStart(4, '0')))
    }
  }
  out.push(0x22)
  return Buffer.from(out)
}

/** cJSON_PrintUnformatted (pretty=false) or cJSON_Print (pretty=true). */
export function printCJson(v: CJson, pretty: boolean): Buffer {
  const parts: Buffer[] = []
  const put = (s: string) => parts.push(Buffer.from(s))
  const walk = (x: CJson, depth: number): void => {
    switch (x.type) {
      case 'null': put('null'); return
      case 'bool': put(x.value ? 'true' : 'false'); return
      case 'number': put(cJsonNumber(x.value)); return
      case 'string': parts.push(cJsonString(x.value)); return
      case 'array':
        put('[')
        x.items.forEach((item, i) => { if (i > 0) put(pretty ? ', ' : ','); walk(item, depth + 1) })
        put(']')
        return
      case 'object': {
        const d = depth + 1
        put(pretty ? '{\n' : '{')
        x.entries.forEach(([k, val], i) => {
          if (pretty) put('\t'.repeat(d))
          parts.push(cJsonString(k))
          put(pretty ? ':\t' : ':')
          walk(val, d)
          if (i < x.entries.length - 1) put(',')
          if (pretty) put('\n')
        })
        if (pretty) put('\t'.repeat(d - 1))
        put('}')
      }
    }
  }
  walk(v, 0)
  return Buffer.concat(parts)
}
