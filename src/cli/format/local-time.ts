// Broken-down local time like glibc's localtime(): honours TZ (Node re-reads process.env.TZ when it changes).
// The zone abbreviation (%Z) comes from the POSIX rule at the end of the TZif file, as glibc reads it.
import { readFileSync } from 'node:fs'

export interface Tm {
  year: number   // full year, e.g. 2026
  mon: number    // 0-11
  mday: number   // 1-31
  hour: number
  min: number
  sec: number
  wday: number   // 0 = Sunday
  yday: number   // 0-365
  gmtoff: number // seconds east of UTC
  zone: string
  /** Seconds since the epoch (strftime %s). */
  epoch: number
}

export function localTime(epochSec: number): Tm {
  const d = new Date(epochSec * 1000)
  const year = d.getFullYear()
  const yday = Math.round((Date.UTC(year, d.getMonth(), d.getDate()) - Date.UTC(year, 0, 1)) / 86_400_000)
  const gmtoff = -d.getTimezoneOffset() * 60
  return {
    year, mon: d.getMonth(), mday: d.getDate(), hour: d.getHours(), min: d.getMinutes(), sec: d.getSeconds(),
    wday: d.getDay(), yday, gmtoff, zone: zoneName(d, gmtoff), epoch: epochSec,
  }
}

interface ZoneRule { std: string; stdOff: number; dst?: string }
const ruleCache = new Map<string, ZoneRule | null>()

/** `CET-1CEST,M3.5.0,M10.5.0/3` → std CET (+3600), dst CEST. Offsets in POSIX are west-positive. */
export function parsePosixTz(s: string): ZoneRule | null {
  const m = /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,2}(?::\d{1,2}(?::\d{1,2})?)?)(<[^>]+>|[A-Za-z]{3,})?/.exec(s)
  if (!m) return null
  const strip = (n: string) => n.replace(/^<|>$/g, '')
  const [h = '0', mi = '0', se = '0'] = m[2]!.replace(/^[+-]/, '').split(':')
  const west = (Number(h) * 3600 + Number(mi) * 60 + Number(se)) * (m[2]!.startsWith('-') ? -1 : 1)
  const rule: ZoneRule = { std: strip(m[1]!), stdOff: -west }
  if (m[3]) rule.dst = strip(m[3])
  return rule
}

function loadRule(tz: string): ZoneRule | null {
  const cached = ruleCache.get(tz)
  if (cached !== undefined) return cached
  let rule: ZoneRule | null = null
  const name = tz.startsWith(':') ? tz.slice(1) : tz
  const path = name === '' ? '/etc/localtime' : name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`
  try {
    const data = readFileSync(path)
    // TZif v2+ ends with "\n<POSIX TZ>\n".
    const end = data.length - 1
    const start = data.lastIndexOf(0x0a, end - 1)
    if (data[end] === 0x0a && start >= 0) rule = parsePosixTz(data.subarray(start + 1, end).toString('latin1'))
  } catch {
    rule = parsePosixTz(name)
  }
  ruleCache.set(tz, rule)
  return rule
}

function zoneName(d: Date, gmtoff: number): string {
  const tz = process.env.TZ
  if (tz === '') return 'UTC'
  const rule = loadRule(tz ?? '')
  if (rule) return gmtoff === rule.stdOff || !rule.dst ? rule.std : rule.dst
  const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d)
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC'
}
