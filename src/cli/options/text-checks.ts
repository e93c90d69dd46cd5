// libmosquitto's client-side string checks (mosquitto_validate_utf8, mosquitto_pub/sub_topic_check).
// They are looser than the broker's: an empty topic passes, and so does a long one up to 65535 bytes.

/**
 * mosquitto_validate_utf8 on a JS string. Node turns invalid UTF-8 in argv into U+FFFD, so U+FFFD
 * counts as malformed here (that is how `-t $'\xff'` still gets "Malformed UTF-8"). Like mosquitto we
 * also refuse control characters, U+0000, non-characters and strings over 65536 bytes.
 */
export function isValidMqttUtf8(s: string): boolean {
  if (Buffer.byteLength(s) > 65536) return false
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i)
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const lo = s.charCodeAt(i + 1)
      if (!(lo >= 0xdc00 && lo <= 0xdfff)) return false
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
      i++
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      return false
    }
    if (cp === 0xfffd) return false
    if (cp >= 0xfdd0 && cp <= 0xfdef) return false
    if ((cp & 0xffff) === 0xfffe || (cp & 0xffff) === 0xffff) return false
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return false
  }
  return true
}

/** mosquitto_pub_topic_check: no `+` or `#` anywhere [MQTT-3.3.2-2]; at most 65535 bytes. */
export function pubTopicOk(topic: string): boolean {
  return !topic.includes('+') && !topic.includes('#') && Buffer.byteLength(topic) <= 65535
}

/** mosquitto_sub_topic_check: `+` fills a whole level [MQTT-4.7.1-3], `#` is a whole last level [MQTT-4.7.1-2]. */
export function subTopicOk(filter: string): boolean {
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]
    const prev = i === 0 ? undefined : filter[i - 1]
    const next = filter[i + 1]
    if (c === '+' && ((prev !== undefined && prev !== '/') || (next !== undefined && next !== '/'))) return false
    if (c === '#' && ((prev !== undefined && prev !== '/') || next !== undefined)) return false
  }
  return Buffer.byteLength(filter) <= 65535
}
