// MQTT's UTF-8 Encoded String rules, checked on the bytes as received: mqtt-packet decodes strings lossily
// (an invalid byte becomes U+FFFD), so two different byte strings could become the same JS string.
import { isUtf8 } from 'node:buffer'

/** True when `buf[start, end)` is well-formed UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
export function isValidUtf8(buf: Uint8Array, start = 0, end = buf.length): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return isUtf8(buf.subarray(i, end)) // ASCII is the common case
  return true
}

/**
 * An MQTT UTF-8 Encoded String: well-formed [MQTT-1.5.3-1] (3.1.1) / [MQTT-1.5.4-1] (v5), and without
 * U+0000 [MQTT-1.5.3-2] (3.1.1) / [MQTT-1.5.4-2] (v5). Control characters and non-characters are allowed
 * (the specs only say SHOULD NOT; mosquitto refuses them too).
 */
export function isMqttString(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i]!
    if (b === 0) return false
    if (b >= 0x80) return buf.subarray(i, end).indexOf(0) === -1 && isUtf8(buf.subarray(i, end))
  }
  return true
}
