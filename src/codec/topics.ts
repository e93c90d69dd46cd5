// Topic name and filter rules of MQTT 3.1.1 §4.7 / MQTT 5 §4.7. Pure functions, no I/O.

/** Longest topic in bytes: a UTF-8 string field holds at most 65535 bytes [MQTT-1.5.3-1]. */
const MAX_TOPIC_BYTES = 65535

/** U+0000 is never allowed in a topic [MQTT-4.7.3-2]; U+FFFD marks bytes that were not valid UTF-8. */
function hasForbiddenChars(s: string): boolean {
  return s.includes('\u0000') || s.includes('\uFFFD') || hasLoneSurrogate(s)
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

/** True when `buf` is well-formed UTF-8 (no overlongs, no surrogates). */
export function isValidUtf8(buf: Uint8Array): boolean {
  let i = 0
  while (i < buf.length) {
    const b = buf[i]!
    if (b < 0x80) { i++; continue }
    let need: number, min: number, cp: number
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; cp = b & 0x1f }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; cp = b & 0x0f }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; cp = b & 0x07 }
    else return false
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return false
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false
    i += need + 1
  }
  return true
}

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
