// `-F` format strings: validated and compiled once, at option-parsing time, with mosquitto_sub's exact error
// texts (client_shared.c check_format). Parsing follows sub_client_output.c, including 2.1's hex separators
// and `%f`/`%d` (DESIGN.md contract 1).
import { UsageError } from '../../core/errors.js'

/** Characters 2.1 accepts directly before a conversion as the hex group separator (`%.2:x`). */
export const HEX_SEPARATORS = '!"#$&\'()*+,-./:;<=>?@[\\]^_`{|}~ '

/** Conversion letters after `%` (2.0.11's set plus 2.1's `f` and `d`). */
export const CONVERSIONS = '%ACDEFIlmPpqRSrtjJUxXfd'

export interface Spec {
  kind: 'spec'
  conv: string
  /** `-` flag. */
  left: boolean
  /** `0` flag (ignored by string conversions, and when `left`). */
  zero: boolean
  width: number
  /** -1 when absent. */
  precision: number
  /** Hex group separator (default space; only used by `%x`/`%X` with a precision). */
  sep: string
}
export type Token = { kind: 'lit'; bytes: Buffer } | Spec | { kind: 'time'; letter: string }

export interface CompiledFormat { readonly source: string; readonly tokens: readonly Token[] }

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', '0': '\0', a: '\x07', e: '\x1b', n: '\n', r: '\r', t: '\t', v: '\v',
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

/** Compile a `-F` format; throws UsageError with mosquitto's message (exit 1, one blank line, usage tail). */
export function compileFormat(fmt: string): CompiledFormat {
  const cs = Array.from(fmt) // code points, so '%é' names the whole character
  const tokens: Token[] = []
  let lit = ''
  const flush = () => { if (lit) { tokens.push({ kind: 'lit', bytes: Buffer.from(lit) }); lit = '' } }
  const incomplete = () => new UsageError('Incomplete format specifier.')

  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!
    if (c === '%') {
      const spec: Spec = { kind: 'spec', conv: '', left: false, zero: false, width: 0, precision: -1, sep: ' ' }
      i++
      if (cs[i] === '-') { spec.left = true; i++ }
      else if (cs[i] === '0') { spec.zero = true; i++ }
      // mosquitto reads "%-0" as left + zero (the 0 being the width's first digit is harmless either way).
      if (spec.left && cs[i] === '0') { spec.zero = true; i++ }
      while (isDigit(cs[i])) { spec.width = spec.width * 10 + Number(cs[i]); i++ }
      if (cs[i] === '.') {
        i++
        spec.precision = 0
        while (isDigit(cs[i])) { spec.precision = spec.precision * 10 + Number(cs[i]); i++ }
      }
      const s = cs[i]
      if (s !== undefined && HEX_SEPARATORS.includes(s)) { spec.sep = s; i++ }
      const conv = cs[i]
      if (conv === undefined) throw incomplete()
      if (!CONVERSIONS.includes(conv)) throw new UsageError(`Invalid format specifier '${conv}'.`)
      spec.conv = conv
      flush()
      tokens.push(spec)
    } else if (c === '@') {
      const n = cs[++i]
      if (n === undefined) throw incomplete()
      if (n === '@') lit += '@'
      else { flush(); tokens.push({ kind: 'time', letter: n }) }
    } else if (c === '\\') {
      const n = cs[++i]
      if (n === undefined) throw new UsageError('Incomplete escape specifier.')
      const e = ESCAPES[n]
      if (e === undefined) throw new UsageError(`Invalid escape specifier '${n}'.`)
      lit += e
    } else {
      lit += c
    }
  }
  flush()
  return { source: fmt, tokens }
}
