// glibc strftime for one conversion letter, C/POSIX locale. Unknown letters come back as "%<letter>" (glibc).
import type { Tm } from './local-time.js'

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December']

const p2 = (n: number) => String(n).padStart(2, '0')
const s2 = (n: number) => String(n).padStart(2, ' ')
const p3 = (n: number) => String(n).padStart(3, '0')

function isLeap(y: number): boolean { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 }

/** ISO 8601 week-based year and week number (%G, %V). */
function isoWeek(t: Tm): { year: number; week: number } {
  const wdayMon = (t.wday + 6) % 7 // Monday = 0
  // Thursday of this week decides the year.
  let year = t.year
  let yday = t.yday - wdayMon + 3
  if (yday < 0) { year -= 1; yday += isLeap(year) ? 366 : 365 }
  else if (yday >= (isLeap(year) ? 366 : 365)) { yday -= isLeap(year) ? 366 : 365; year += 1 }
  return { year, week: Math.floor(yday / 7) + 1 }
}

function offset(t: Tm): string {
  const a = Math.abs(t.gmtoff)
  return `${t.gmtoff < 0 ? '-' : '+'}${p2(Math.floor(a / 3600))}${p2(Math.floor((a % 3600) / 60))}`
}

function hour12(h: number): number { return h % 12 === 0 ? 12 : h % 12 }

export function strftimeOne(letter: string, t: Tm): string {
  switch (letter) {
    case 'a': return DAYS[t.wday]!.slice(0, 3)
    case 'A': return DAYS[t.wday]!
    case 'b': case 'h': return MONTHS[t.mon]!.slice(0, 3)
    case 'B': return MONTHS[t.mon]!
    case 'c': return `${strftimeOne('a', t)} ${strftimeOne('b', t)} ${s2(t.mday)} ${strftimeOne('T', t)} ${t.year}`
    case 'C': return p2(Math.floor(t.year / 100))
    case 'd': return p2(t.mday)
    case 'D': case 'x': return `${p2(t.mon + 1)}/${p2(t.mday)}/${p2(t.year % 100)}`
    case 'e': return s2(t.mday)
    case 'F': return `${t.year}-${p2(t.mon + 1)}-${p2(t.mday)}`
    case 'g': return p2(isoWeek(t).year % 100)
    case 'G': return String(isoWeek(t).year)
    case 'H': return p2(t.hour)
    case 'I': return p2(hour12(t.hour))
    case 'j': return p3(t.yday + 1)
    case 'k': return s2(t.hour)
    case 'l': return s2(hour12(t.hour))
    case 'm': return p2(t.mon + 1)
    case 'M': return p2(t.min)
    case 'n': return '\n'
    case 'p': return t.hour < 12 ? 'AM' : 'PM'
    case 'P': return t.hour < 12 ? 'am' : 'pm'
    case 'r': return `${p2(hour12(t.hour))}:${p2(t.min)}:${p2(t.sec)} ${strftimeOne('p', t)}`
    case 'R': return `${p2(t.hour)}:${p2(t.min)}`
    case 's': return String(t.epoch)
    case 'S': return p2(t.sec)
    case 't': return '\t'
    case 'T': case 'X': return `${p2(t.hour)}:${p2(t.min)}:${p2(t.sec)}`
    case 'u': return String(t.wday === 0 ? 7 : t.wday)
    case 'U': return p2(Math.floor((t.yday + 7 - t.wday) / 7))
    case 'V': return p2(isoWeek(t).week)
    case 'w': return String(t.wday)
    case 'W': return p2(Math.floor((t.yday + 7 - ((t.wday + 6) % 7)) / 7))
    case 'y': return p2(t.year % 100)
    case 'Y': return String(t.year)
    case 'z': return offset(t)
    case 'Z': return t.zone
    case '%': return '%'
    default: return '%' + letter
  }
}

/** strftime over a whole pattern (only what the formatter needs: %F %T %z %s and friends). */
export function strftime(pattern: string, t: Tm): string {
  return pattern.replace(/%(.)/gs, (_, c: string) => strftimeOne(c, t))
}
