// `--json` (ours): one lossless JSON object per message, newline-delimited. Schema: docs/json-output.md.
import { isValidUtf8 } from '../../codec/topics.js'
import type { ReceivedMessage, TimeParts } from './message.js'
import { propertyList } from './properties.js'

/** `2026-11-23T20:15:55.810111123Z`: UTC, nanoseconds. */
export function isoUtc(t: TimeParts): string {
  const base = new Date(t.sec * 1000).toISOString().slice(0, 19)
  return `${base}.${String(t.nsec).padStart(9, '0')}Z`
}

function bytesField(name: string, b: Buffer, o: Record<string, unknown>): void {
  if (isValidUtf8(b)) o[name] = b.toString('utf8')
  else o[`${name}_base64`] = b.toString('base64')
}

export function ndjsonObject(m: ReceivedMessage, t: TimeParts): Record<string, unknown> {
  const o: Record<string, unknown> = {
    tst: isoUtc(t), topic: m.topic, qos: m.qos, retain: m.retain, dup: m.dup, mid: m.messageId,
  }
  const list = propertyList(m.properties, m.wireProperties)
  if (list.length > 0) {
    const props: Record<string, unknown> = {}
    for (const p of list) {
      switch (p.name) {
        case 'user-property':
          ((props['user-properties'] ??= []) as Array<Record<string, string>>).push({ [p.key]: p.value })
          break
        case 'subscription-identifier':
          ((props['subscription-identifier'] ??= []) as number[]).push(p.value)
          break
        case 'correlation-data': bytesField('correlation-data', p.value, props); break
        default: props[p.name] = p.value
      }
    }
    o.properties = props
  }
  bytesField('payload', m.payload, o)
  return o
}

/** One NDJSON line (with its `\n`). */
export function ndjsonLine(m: ReceivedMessage, t: TimeParts): Buffer {
  return Buffer.from(JSON.stringify(ndjsonObject(m, t)) + '\n')
}
