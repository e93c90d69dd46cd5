// `%j` / `%J`: mosquitto_sub's JSON object, printed through the cJSON model. 2.0 layout with the 2.1 fixes
// DESIGN.md contract 1 names: `tst` without the stray `Z`, user properties as an array of one-key objects,
// and NUL bytes in the `%j` payload kept as \u0000 instead of cutting the payload there.
import { jBytes, jNull, jNum, jObj, jStr, parseCJson, printCJson, type CJson } from './cjson.js'
import { localTime } from './local-time.js'
import type { ReceivedMessage, TimeParts } from './message.js'
import { propertyList } from './properties.js'
import { strftime } from './strftime.js'

/** `2026-11-23T21:16:04.509889+0100`: local time, microseconds, numeric offset. */
export function jsonTimestamp(t: TimeParts): string {
  const tm = localTime(t.sec)
  const us = String(Math.floor(t.nsec / 1000)).padStart(6, '0')
  return `${strftime('%Y-%m-%dT%H:%M:%S', tm)}.${us}${strftime('%z', tm)}`
}

function propertiesJson(m: ReceivedMessage): CJson | undefined {
  if (!m.properties) return undefined
  const entries: Array<[string, CJson]> = []
  let users: CJson[] | undefined
  for (const p of propertyList(m.properties, m.wireProperties)) {
    if (p.name === 'user-property') {
      if (!users) { users = []; entries.push(['user-properties', { type: 'array', items: users }]) }
      users.push(jObj([[p.key, jStr(p.value)]]))
    } else if (p.name === 'correlation-data') {
      entries.push([p.name, jStr(p.value)])
    } else {
      entries.push([p.name, typeof p.value === 'number' ? jNum(p.value) : jStr(p.value)])
    }
  }
  return jObj(entries)
}

/** The JSON bytes, or undefined when `%J`'s payload is not valid JSON (the caller reports it). */
export function mosquittoJson(m: ReceivedMessage, t: TimeParts, embedPayload: boolean, pretty: boolean): Buffer | undefined {
  let payload: CJson
  if (m.payload.length === 0) payload = jNull
  else if (embedPayload) {
    const parsed = parseCJson(m.payload)
    if (!parsed) return undefined
    payload = parsed
  } else payload = jBytes(m.payload)
  const entries: Array<[string, CJson]> = [
    ['tst', jStr(jsonTimestamp(t))],
    ['topic', jStr(m.topic)],
    ['qos', jNum(m.qos)],
    ['retain', jNum(m.retain ? 1 : 0)],
    ['payloadlen', jNum(m.payload.length)],
  ]
  if (m.qos > 0) entries.push(['mid', jNum(m.messageId)])
  const props = propertiesJson(m)
  if (props) entries.push(['properties', props])
  entries.push(['payload', payload])
  return printCJson(jObj(entries), pretty)
}
