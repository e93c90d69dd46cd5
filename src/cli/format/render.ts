// Expand a compiled `-F` format for one message, byte for byte as mosquitto_sub's formatted_print().
import { cFixed, cInt, type PadSpec } from './c-number.js'
import { cString } from './cjson.js'
import type { CompiledFormat, Spec } from './format-string.js'
import { localTime, type Tm } from './local-time.js'
import type { ReceivedMessage, TimeParts } from './message.js'
import { mosquittoJson } from './mosquitto-json.js'
import { firstNumber, firstString, propertyList, type PropValue } from './properties.js'
import { strftime, strftimeOne } from './strftime.js'

export interface RenderResult { out: Buffer; errors: string[] }

const padOf = (s: Spec): PadSpec => ({ width: s.width, left: s.left, zero: s.zero })

/** printf("%-*.*s"): precision cuts bytes, width pads with spaces; the `0` flag does not apply. */
function str(value: Buffer | string, s: Spec): Buffer {
  let b = cString(value)
  if (s.precision >= 0 && b.length > s.precision) b = b.subarray(0, s.precision)
  if (b.length >= s.width) return b
  const fill = Buffer.alloc(s.width - b.length, 0x20)
  return s.left ? Buffer.concat([b, fill]) : Buffer.concat([fill, b])
}

const blank = (pad: string, width: number) => Buffer.from(pad.repeat(width))
const int = (v: number, s: Spec) => Buffer.from(cInt(v, padOf(s)))

/**
 * write_payload(): a width truncates the payload to `width` bytes; with `-` the trailing padding is printed
 * with printf("%*s", padlen) even when padlen is negative (no width: as many spaces as bytes written).
 * Hex follows 2.1 (whole bytes, padding counted in hex digits, optional separator every `precision` digits).
 */
function payload(p: Buffer, hex: 0 | 1 | 2, s: Spec): Buffer {
  let len = p.length
  let padlen: number
  if (s.width > 0) {
    if (len > s.width) len = s.width
    padlen = hex > 0 ? s.width - len * 2 : s.width - len
  } else padlen = s.width - len
  const pad = s.zero ? '0' : ' '
  let text = ''
  let xpos = 0
  const sep = () => { if (s.precision > 0 && xpos % s.precision === s.precision - 1) text += s.sep }
  if (!s.left) {
    for (let i = 0; i < padlen; i++) { text += pad; if (hex > 0) sep(); xpos++ }
  }
  const head = Buffer.from(text)
  let body: Buffer
  if (hex === 0) body = p.subarray(0, len)
  else {
    text = ''
    const h = hex === 2 ? p.subarray(0, len).toString('hex').toUpperCase() : p.subarray(0, len).toString('hex')
    for (let i = 0; i < len; i++) {
      text += h[i * 2]!; sep(); xpos++
      text += h[i * 2 + 1]!
      if (i < len - 1) { sep(); xpos++ }
    }
    body = Buffer.from(text)
  }
  const tail = Buffer.from(s.left ? ' '.repeat(Math.abs(padlen)) : '')
  return Buffer.concat([head, body, tail])
}

function float(p: Buffer, conv: 'f' | 'd', s: Spec): Buffer | undefined {
  if (conv === 'f' ? p.length !== 4 : p.length !== 8) return undefined
  const v = conv === 'f' ? p.readFloatLE(0) : p.readDoubleLE(0)
  return Buffer.from(cFixed(v, s.precision, padOf(s)))
}

function userProps(list: PropValue[]): Buffer {
  const pairs = list.flatMap((p) => (p.name === 'user-property' ? [Buffer.concat([cString(p.key), Buffer.from(':'), cString(p.value)])] : []))
  return Buffer.concat(pairs.flatMap((b, i) => (i > 0 ? [Buffer.from(' '), b] : [b])))
}

function unixTime(t: TimeParts): string { return `${t.sec}.${String(t.nsec).padStart(9, '0')}` }

export function renderFormat(fmt: CompiledFormat, m: ReceivedMessage, pretty: boolean, now: () => TimeParts): RenderResult {
  const parts: Buffer[] = []
  const errors: string[] = []
  let props: PropValue[] | undefined
  const list = () => (props ??= propertyList(m.properties, m.wireProperties))
  let shared: { t: TimeParts; tm: Tm } | undefined // all `@` codes of one message share one clock reading

  for (const tok of fmt.tokens) {
    if (tok.kind === 'lit') { parts.push(tok.bytes); continue }
    if (tok.kind === 'time') {
      if (!shared) { const t = now(); shared = { t, tm: localTime(t.sec) } }
      parts.push(Buffer.from(tok.letter === 'N' ? String(shared.t.nsec).padStart(9, '0') : strftimeOne(tok.letter, shared.tm)))
      continue
    }
    const s = tok
    switch (s.conv) {
      case '%': parts.push(Buffer.from('%')); break
      case 'A': case 'E': case 'F': case 'S': {
        const name = ({ A: 'topic-alias', E: 'message-expiry-interval', F: 'payload-format-indicator', S: 'subscription-identifier' } as const)[s.conv]
        const v = firstNumber(list(), name)
        parts.push(v === undefined ? blank(s.zero ? '0' : ' ', s.width) : int(v, s))
        break
      }
      case 'C': {
        const v = firstString(list(), 'content-type')
        parts.push(v === undefined ? blank(' ', s.width) : str(v, s))
        break
      }
      case 'R': {
        const v = firstString(list(), 'response-topic')
        if (v !== undefined) parts.push(str(v, s))
        break
      }
      case 'D': {
        const cd = list().find((p) => p.name === 'correlation-data')
        if (cd && Buffer.isBuffer(cd.value)) parts.push(cd.value)
        break
      }
      case 'P': parts.push(userProps(list())); break
      case 'I': parts.push(str(strftime('%FT%T%z', localTime(now().sec)), s)); break
      case 'U': parts.push(Buffer.from(unixTime(now()))); break
      case 'j': case 'J': {
        const json = mosquittoJson(m, now(), s.conv === 'J', pretty)
        if (json) parts.push(json)
        else errors.push(`Error: Message payload is not valid JSON on topic ${m.topic}.`)
        break
      }
      case 'l': parts.push(int(m.payload.length, s)); break
      case 'm': parts.push(int(m.messageId, s)); break
      case 'p': parts.push(payload(m.payload, 0, s)); break
      case 'x': parts.push(payload(m.payload, 1, s)); break
      case 'X': parts.push(payload(m.payload, 2, s)); break
      case 'q': parts.push(Buffer.from(String(m.qos))); break
      case 'r': parts.push(Buffer.from(m.retain ? '1' : '0')); break
      case 't': parts.push(str(m.topic, s)); break
      case 'f': case 'd': {
        const b = float(m.payload, s.conv, s)
        if (b) parts.push(b)
        else errors.push(`requested ${s.conv === 'f' ? 'float' : 'double'} printing, but non-${s.conv === 'f' ? 'float' : 'double'} data received`)
        break
      }
    }
  }
  return { out: Buffer.concat(parts), errors }
}
