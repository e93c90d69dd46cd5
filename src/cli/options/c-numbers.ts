// C's atoi/atol/atof/strtol as glibc implements them, because mosquitto parses every number with them:
// non-numeric text is 0, trailing junk is ignored, and only -x is strict (strtol with an end check).

const LONG_MAX = (1n << 63n) - 1n
const LONG_MIN = -(1n << 63n)
/** C isspace() in the "C" locale. */
const SPACE = /^[ \t\n\v\f\r]*/

interface Scanned { value: bigint; digits: number; end: number }

/** Scan [space][sign]digits in `base` from the start of `s`; `end` is the index after the last digit. */
function scan(s: string, base: number, start: number): Scanned {
  let i = start
  let neg = false
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++ }
  let value = 0n
  let digits = 0
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i))
    if (d < 0 || d >= base) break
    value = value * BigInt(base) + BigInt(d)
    digits++
  }
  return { value: neg ? -value : value, digits, end: i }
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 122) return c - 87
  if (c >= 65 && c <= 90) return c - 55
  return -1
}

function clampLong(v: bigint): bigint {
  return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v
}

/** atol(): 64-bit long, saturating like strtol. */
export function atol(s: string): number {
  const start = SPACE.exec(s)![0].length
  return Number(clampLong(scan(s, 10, start).value))
}

/** atoi(): glibc's (int)strtol(s, NULL, 10) — saturate to long, then keep the low 32 bits. */
export function atoi(s: string): number {
  const start = SPACE.exec(s)![0].length
  return Number(BigInt.asIntN(32, clampLong(scan(s, 10, start).value)))
}

/** atof(): strtod without an end pointer: leading number, else 0 (inf/nan spelled as C accepts them). */
export function atof(s: string): number {
  const t = s.slice(SPACE.exec(s)![0].length)
  const special = /^([+-]?)(inf(?:inity)?|nan)/i.exec(t)
  if (special) {
    const sign = special[1] === '-' ? -1 : 1
    return special[2]!.toLowerCase().startsWith('inf') ? sign * Infinity : NaN
  }
  const hex = /^([+-]?)0x([0-9a-f]+)/i.exec(t)
  if (hex) return (hex[1] === '-' ? -1 : 1) * parseInt(hex[2]!, 16)
  const n = parseFloat(t)
  return Number.isNaN(n) ? 0 : n
}

/**
 * strtol(s, &end, 0) with mosquitto's check `end == s || *end != '\0'`: returns undefined when the text
 * is not wholly a number. Base 0: `0x` prefix is hex, a leading `0` octal, else decimal.
 */
export function strtolStrict(s: string): number | undefined {
  const start = SPACE.exec(s)![0].length
  let i = start
  let sign = ''
  if (s[i] === '+' || s[i] === '-') { sign = s[i]!; i++ }
  let base = 10
  let digitsAt = i
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s.charCodeAt(i + 2)) >= 0 &&
      digitValue(s.charCodeAt(i + 2)) < 16) {
    base = 16
    digitsAt = i + 2
  } else if (s[i] === '0') {
    base = 8
  }
  const r = scan(sign + s.slice(digitsAt), base, 0)
  if (r.digits === 0) return undefined
  const consumed = digitsAt + r.end - sign.length
  if (consumed !== s.length) return undefined
  return Number(clampLong(r.value))
}
