// Topic name and filter rules of MQTT 3.1.1 §4.7 / MQTT 5 §4.7. Pure functions, no I/O.

/** Longest topic in bytes: a UTF-8 string field holds at most 65535 bytes [MQTT-1.5.3-1]. */
const MAX_TOPIC_BYTES = 65535

/**
 * U+0000 is never allowed in a topic [MQTT-4.7.3-2]; a lone surrogate cannot be encoded as UTF-8. (U+FFFD
 * is a valid character: the broker checks the bytes it receives, see utf8.ts, and the command-line tools
 * refuse the U+FFFD that invalid bytes in argv become, see cli/options/text-checks.ts.)
 */
function hasForbiddenChars(s: string): boolean {
  return s.includes('\u0000') || hasLoneSurrogate(s)
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1)
      if (!(n >= 0xdc00 && n <= 0xdfff)) return true
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}

export { isValidUtf8 } from './utf8.js'

/** A topic a PUBLISH may carry: non-empty, no wildcards [MQTT-3.3.2-2], no U+0000 [MQTT-4.7.3-2]. */
export function isValidTopicName(topic: string): boolean {
  if (topic.length === 0) return false // [MQTT-4.7.3-1]
  if (topic.includes('+') || topic.includes('#')) return false // [MQTT-3.3.2-2]
  if (hasForbiddenChars(topic)) return false
  return Buffer.byteLength(topic) <= MAX_TOPIC_BYTES
}

/** A topic filter a SUBSCRIBE may carry (wildcards whole levels, `#` last) [MQTT-4.7.1-2], [MQTT-4.7.1-3]. */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0) return false // [MQTT-4.7.3-1]
  if (hasForbiddenChars(filter) || Buffer.byteLength(filter) > MAX_TOPIC_BYTES) return false
  const levels = filter.split('/')
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return false // [MQTT-4.7.1-2]
    if (level.includes('+') && level !== '+') return false // [MQTT-4.7.1-3]
  }
  return true
}

export interface SharedFilter { group: string; filter: string }

/** `$share/group/filter` → { group, filter }; undefined for a plain filter; null when malformed. */
export function parseSharedFilter(filter: string): SharedFilter | undefined | null {
  if (!filter.startsWith('$share/')) return undefined
  const rest = filter.slice('$share/'.length)
  const slash = rest.indexOf('/')
  if (slash <= 0) return null
  const group = rest.slice(0, slash)
  const inner = rest.slice(slash + 1)
  if (group.includes('+') || group.includes('#')) return null // [MQTT-4.8.2-2]
  if (!isValidTopicFilter(inner)) return null
  return { group, filter: inner }
}

/**
 * A filter as SUBSCRIBE and UNSUBSCRIBE may carry it: its shared part (undefined for a plain filter), or
 * null when it is malformed or has more than `maxLevels` levels.
 */
export function parseFilter(filter: string, maxLevels: number): SharedFilter | undefined | null {
  const shared = parseSharedFilter(filter)
  if (shared === null || (shared === undefined && !isValidTopicFilter(filter))) return null
  return topicLevels(filter) > maxLevels ? null : shared
}

/** Does `filter` match `topic`? Wildcards at the first level never match `$` topics [MQTT-4.7.2-1]. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!
    if (level === '#') return true
    if (i >= t.length) return false
    if (level !== '+' && level !== t[i]) return false
  }
  return f.length === t.length
}

/** How many levels a topic name or filter has (`a/b` 2, `/` 2, `#` 1), without splitting it. */
export function topicLevels(s: string): number {
  let n = 1
  for (let at = s.indexOf('/'); at !== -1; at = s.indexOf('/', at + 1)) n++
  return n
}

const isWild = (level: string | undefined) => level === '+' || level === '#'
const isDollar = (level: string | undefined) => level !== undefined && level.charCodeAt(0) === 36 /* $ */

/**
 * Can some topic match both filters? Level by level: `#` on either side matches the rest (its parent level
 * too), `+` any one level, literals only themselves. A filter starting with a wildcard never matches a `$`
 * topic [MQTT-4.7.2-1], so it shares nothing with a filter whose first level is a literal `$…`.
 */
export function filtersOverlap(a: string, b: string): boolean {
  const x = a.split('/')
  const y = b.split('/')
  if ((isWild(x[0]) && isDollar(y[0])) || (isWild(y[0]) && isDollar(x[0]))) return false
  for (let i = 0; ; i++) {
    const p = x[i]
    const q = y[i]
    if (p === '#' || q === '#') return true
    if (p === undefined || q === undefined) return p === q
    if (p !== q && p !== '+' && q !== '+') return false
  }
}

/** Does `outer` match every topic `inner` matches (e.g. `a/#` covers `a/+/c`; `#` does not cover `$SYS/#`)? */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split('/')
  const n = inner.split('/')
  for (let i = 0; ; i++) {
    const p = o[i]
    const q = n[i]
    if (p === '#') return !(i === 0 && isDollar(q)) // [MQTT-4.7.2-1]
    if (p === undefined || q === undefined) return p === q
    if (q === '#') return false // inner goes on where outer stops
    if (p === '+') { if (i === 0 && isDollar(q)) return false; continue }
    if (p !== q) return false
  }
}
