// glibc printf number conversions (%d, %f, %g) done exactly: doubles are expanded to their exact decimal value
// with BigInt and rounded half-to-even, as glibc does, so output matches C byte for byte.

/** The exact decimal expansion of a finite |d|: digits with the decimal point `point` places from the left. */
function exactDecimal(d: number): { digits: string; point: number } {
  const a = Math.abs(d)
  if (a === 0) return { digits: '0', point: 1 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, a)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const exp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e: number
  if (exp === 0) e = -1074
  else { mant |= 1n << 52n; e = exp - 1075 }
  if (e >= 0) {
    const s = (mant << BigInt(e)).toString()
    return { digits: s, point: s.length }
  }
  // mant / 2^-e = mant * 5^-e / 10^-e
  const s = (mant * 5n ** BigInt(-e)).toString()
  return { digits: s, point: s.length + e }
}

/** Round a digit string to keep `keep` digits (half to even on exact ties); returns digits and carry. */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep < 0) return { digits: '', carry: false }
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), carry: false }
  const head = digits.slice(0, keep)
  const first = digits.charCodeAt(keep) - 48
  const rest = digits.slice(keep + 1)
  const restNonZero = /[1-9]/.test(rest)
  const lastOdd = keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1
  const up = first > 5 || (first === 5 && (restNonZero || lastOdd))
  if (!up) return { digits: head, carry: false }
  const n = (BigInt('1' + head) + 1n).toString() // leading 1 keeps leading zeros
  if (n[0] === '2') return { digits: n.slice(1), carry: true }
  return { digits: n.slice(1), carry: false }
}

function special(d: number, upper = false): string | undefined {
  if (Number.isNaN(d)) return upper ? 'NAN' : 'nan'
  if (!Number.isFinite(d)) return upper ? 'INF' : 'inf'
  return undefined
}

function isNegative(d: number): boolean { return d < 0 || Object.is(d, -0) }

/** `%.{prec}f` body without sign. */
function fixedBody(d: number, prec: number): string {
  const { digits, point } = exactDecimal(d)
  let intPart: string
  let frac: string
  // Pad so the point lies inside the digit string.
  let ds = digits
  let pt = point
  if (pt <= 0) { ds = '0'.repeat(1 - pt) + ds; pt = 1 }
  const r = roundDigits(ds, pt + prec)
  let all = r.digits
  if (r.carry) { all = '1' + all; pt += 1 }
  intPart = all.slice(0, pt).replace(/^0+(?=\d)/, '')
  frac = all.slice(pt)
  if (intPart === '') intPart = '0'
  return prec > 0 ? `${intPart}.${frac}` : intPart
}

/** `%.{prec}e` body without sign; exponent at least two digits. */
function expBody(d: number, prec: number): string {
  if (d === 0) return (prec > 0 ? '0.' + '0'.repeat(prec) : '0') + 'e+00'
  const { digits, point } = exactDecimal(d)
  const lead = digits.search(/[1-9]/)
  let exp = point - lead - 1
  const r = roundDigits(digits.slice(lead), prec + 1)
  let ds = r.digits
  if (r.carry) { ds = '1' + ds.slice(0, prec); exp += 1 }
  const mant = prec > 0 ? `${ds[0]}.${ds.slice(1)}` : ds[0]!
  const ae = Math.abs(exp)
  return `${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`
}

/** `%.{prec}g` body without sign (no `#` flag: trailing zeros removed). */
function generalBody(d: number, precision: number): string {
  const p = precision === 0 ? 1 : precision
  let x: number
  if (d === 0) x = 0
  else {
    const e = expBody(d, p - 1)
    x = Number(e.slice(e.indexOf('e') + 1))
  }
  let s = p > x && x >= -4 ? fixedBody(d, p - 1 - x) : expBody(d, p - 1)
  // Strip trailing zeros in the fraction (and a bare point).
  s = s.replace(/^([^e]*\.\d*?)0+((?:e.*)?)$/, '$1$2').replace(/\.(e|$)/, '$1')
  return s
}

export interface PadSpec { width: number; left: boolean; zero: boolean }

function pad(sign: string, body: string, spec: PadSpec, numeric: boolean): string {
  const len = sign.length + body.length
  if (len >= spec.width) return sign + body
  const fill = spec.width - len
  if (spec.left) return sign + body + ' '.repeat(fill)
  if (spec.zero && numeric) return sign + '0'.repeat(fill) + body
  return ' '.repeat(fill) + sign + body
}

/** printf `%[-][0][width]d` of a C int. */
export function cInt(value: number, spec: PadSpec): string {
  const v = value | 0
  return pad(v < 0 ? '-' : '', String(Math.abs(v)), spec, true)
}

/** printf `%[-][0][width].{precision}f`; a negative precision means the default 6. */
export function cFixed(value: number, precision: number, spec: PadSpec): string {
  const prec = precision < 0 ? 6 : precision
  const sp = special(value)
  const sign = isNegative(value) ? '-' : ''
  if (sp !== undefined) return pad(sign, sp, spec, false)
  return pad(sign, fixedBody(value, prec), spec, true)
}

/** printf `%1.{precision}g` (cJSON's number printing). */
export function cGeneral(value: number, precision: number): string {
  const sp = special(value)
  const sign = isNegative(value) ? '-' : ''
  if (sp !== undefined) return sign + sp
  return sign + generalBody(value, precision)
}
