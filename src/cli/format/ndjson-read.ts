// `tspub --ndjson`: one line of `tssub --json` output back into a message to publish, the inverse of
// ndjson.ts (schema: docs/json-output.md). Pure: a line in, a message or one error text out.
import type { PublishProperties, QoS } from '../../codec/index.js'
import { propertyOrder, withPropertyOrder, type PropertyOrder } from '../../codec/property-order.js'
import { isValidUtf8 } from '../../codec/topics.js'
import { lineFail } from '../line-error.js'
import { addUserProperty } from '../user-properties.js'
import { checkTopicName } from '../topic-name.js'

/** A message to publish, with the recorded receive time (ms since the epoch, fractional) when the line had one. */
export interface ReplayMessage {
  topic: string
  payload: Buffer
  qos: QoS
  retain: boolean
  properties?: PublishProperties
  at?: number
}

/** What the command line gives for what a line leaves out (-t, -q, -r, -D publish …). */
export interface ReplayDefaults {
  topic?: string
  qos: QoS
  retain: boolean
  properties?: PublishProperties
}

const TOP_KEYS = new Set(['tst', 'topic', 'qos', 'retain', 'dup', 'mid', 'properties', 'payload', 'payload_base64'])
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const TST = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/

const fail = lineFail
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: object, k: string) => Object.hasOwn(o, k)

/** `2026-11-23T20:15:55.810111123Z` (or with an offset) → ms since the epoch, keeping the sub-millisecond part. */
export function parseTst(s: string): number | undefined {
  const m = TST.exec(s)
  if (!m) return undefined
  const whole = Date.parse(m[1]! + m[3]!)
  if (Number.isNaN(whole)) return undefined
  return whole + Number(`0.${m[2] ?? '0'}`) * 1000
}

/** A string field that is text or `<name>_base64`; exactly one of the two. */
function bytesOf(o: Record<string, unknown>, name: string, required: boolean): Buffer | undefined {
  const text = o[name]
  const b64 = o[`${name}_base64`]
  if (text !== undefined && b64 !== undefined) fail(`both ${name} and ${name}_base64 given.`)
  if (text !== undefined) {
    if (typeof text !== 'string') fail(`${name} must be a string.`)
    if (!isValidUtf16(text as string)) fail(`${name} is not valid UTF-8 text (use ${name}_base64).`)
    return Buffer.from(text as string, 'utf8')
  }
  if (b64 !== undefined) {
    if (typeof b64 !== 'string' || !BASE64.test(b64)) fail(`${name}_base64 is not valid base64.`)
    return Buffer.from(b64 as string, 'base64')
  }
  if (required) fail(`no ${name} or ${name}_base64.`)
  return undefined
}

/** A JSON string may hold a lone surrogate, which has no UTF-8 form (String.prototype.isWellFormed, ES2024). */
function isValidUtf16(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed()
}

function uint(v: unknown, name: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(`${name} must be an integer from 0 to ${max}.`)
  return v as number
}

/** What a broker may deliver in a UTF-8 string field: well-formed, no U+0000, at most 65535 bytes [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
function mqttString(v: unknown, name: string): string {
  if (typeof v !== 'string') fail(`${name} must be a string.`)
  const s = v as string
  if (!isValidUtf16(s) || s.includes('\u0000') || Buffer.byteLength(s) > 65535) fail(`${name} is not a valid MQTT string.`)
  return s
}

/**
 * The v5 properties of a line, in its key order (user properties, in their order, where `user-properties`
 * stands). `subscription-identifier` and `topic-alias` describe the recorded delivery, not the message: they
 * are checked and not sent (a client must not send a subscription identifier [MQTT-3.3.4-6]; an alias
 * belongs to the recorded connection).
 */
function propertiesOf(p: unknown): PublishProperties | undefined {
  if (!isObject(p)) return fail('properties must be an object.')
  const out: Record<string, unknown> = {}
  const order: Array<string | readonly [string, string]> = []
  const set = (key: string, value: unknown) => { out[key] = value; order.push(key) }
  for (const [name, v] of Object.entries(p)) {
    switch (name) {
      case 'payload-format-indicator': set('payloadFormatIndicator', uint(v, name, 1) === 1); break
      case 'message-expiry-interval': set('messageExpiryInterval', uint(v, name, 0xffffffff)); break
      case 'content-type': set('contentType', mqttString(v, name)); break
      case 'response-topic': {
        const topic = mqttString(v, name)
        const bad = checkTopicName(topic)
        if (bad) fail(`response-topic ${bad}`)
        set('responseTopic', topic)
        break
      }
      case 'correlation-data': case 'correlation-data_base64': {
        const data = bytesOf(p, 'correlation-data', true)!
        if (data.length > 65535) fail('correlation-data is longer than 65535 bytes.')
        set('correlationData', data)
        break
      }
      case 'user-properties': {
        if (!Array.isArray(v)) fail('user-properties must be an array of {"name": "value"} objects.')
        const user: Record<string, string | string[]> = {}
        for (const pair of v as unknown[]) {
          const entries = isObject(pair) ? Object.entries(pair) : []
          if (entries.length !== 1) fail('user-properties must be an array of {"name": "value"} objects.')
          const [k, value] = entries[0]!
          const key = mqttString(k, 'a user property name')
          const val = mqttString(value, 'a user property value')
          addUserProperty(user, key, val)
          order.push([key, val])
        }
        if ((v as unknown[]).length > 0) out['userProperties'] = user
        break
      }
      case 'subscription-identifier':
        if (!Array.isArray(v)) fail('subscription-identifier must be an array of numbers.')
        for (const id of v as unknown[]) uint(id, name, 268435455)
        break
      case 'topic-alias': uint(v, name, 0xffff); break
      default: fail(`unknown property "${name}".`)
    }
  }
  return order.length === 0 ? undefined : withPropertyOrder(out as PublishProperties, order)
}

/** Command-line properties (-D publish) fill in the ones a line does not have, after the line's own. */
function withDefaults(line: PublishProperties | undefined, d: PublishProperties | undefined): PublishProperties | undefined {
  if (!d) return line
  if (!line) return d
  const out: Record<string, unknown> = { ...line }
  const order: Array<string | readonly [string, string]> = [...orderOf(line)]
  for (const [k, v] of Object.entries(d)) {
    if (has(out, k) || v === undefined) continue
    out[k] = v
    if (k === 'userProperties') {
      for (const [uk, uv] of Object.entries(v as Record<string, string | string[]>)) {
        for (const one of Array.isArray(uv) ? uv : [uv]) order.push([uk, one])
      }
    } else order.push(k)
  }
  return withPropertyOrder(out as PublishProperties, order)
}

function orderOf(p: PublishProperties): PropertyOrder {
  return propertyOrder(p) ?? Object.keys(p)
}

/** One NDJSON line → the message; a malformed one throws a LineError saying what is wrong. An empty line gives undefined. */
export function readNdjsonLine(line: Buffer, d: ReplayDefaults): ReplayMessage | undefined {
  if (!isValidUtf8(line)) return fail('not valid UTF-8 (JSON text is UTF-8; binary goes in payload_base64).')
  const text = line.toString('utf8')
  if (text.trim() === '') return undefined
  let o: unknown
  try {
    o = JSON.parse(text)
  } catch {
    return fail('not valid JSON.')
  }
  if (!isObject(o)) return fail('not a JSON object.')
  for (const k of Object.keys(o)) if (!TOP_KEYS.has(k)) fail(`unknown key "${k}".`)
  let topic = d.topic
  if (o['topic'] !== undefined) {
    if (typeof o['topic'] !== 'string') fail('topic must be a string.')
    topic = o['topic'] as string
  }
  if (topic === undefined) return fail('no topic (and no -t).')
  const bad = checkTopicName(topic)
  if (bad) fail(`topic ${bad}`)
  let qos = d.qos
  if (o['qos'] !== undefined) qos = uint(o['qos'], 'qos', 2) as QoS
  let retain = d.retain
  if (o['retain'] !== undefined) {
    if (typeof o['retain'] !== 'boolean') fail('retain must be true or false.')
    retain = o['retain'] as boolean
  }
  if (o['dup'] !== undefined && typeof o['dup'] !== 'boolean') fail('dup must be true or false.')
  if (o['mid'] !== undefined) uint(o['mid'], 'mid', 0xffff)
  let at: number | undefined
  if (o['tst'] !== undefined) {
    at = typeof o['tst'] === 'string' ? parseTst(o['tst']) : undefined
    if (at === undefined) fail('tst is not an ISO 8601 time such as 2026-11-23T20:15:55.810111123Z.')
  }
  const payload = bytesOf(o, 'payload', true)!
  const properties = withDefaults(o['properties'] === undefined ? undefined : propertiesOf(o['properties']), d.properties)
  return { topic, payload, qos, retain, ...(properties ? { properties } : {}), ...(at !== undefined ? { at } : {}) }
}
