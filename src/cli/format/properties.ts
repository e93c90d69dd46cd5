// Read v5 PUBLISH properties (as mqtt-packet decodes them) the way mosquitto_sub's formatter sees them.
import type { PublishProperties, WireProperty } from '../../codec/index.js'

export type PropValue =
  | { name: 'payload-format-indicator' | 'message-expiry-interval' | 'subscription-identifier' | 'topic-alias'; value: number }
  | { name: 'content-type' | 'response-topic'; value: string }
  | { name: 'correlation-data'; value: Buffer }
  | { name: 'user-property'; key: string; value: string }

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

const KEBAB = {
  payloadFormatIndicator: 'payload-format-indicator', messageExpiryInterval: 'message-expiry-interval',
  topicAlias: 'topic-alias', subscriptionIdentifier: 'subscription-identifier', contentType: 'content-type',
  responseTopic: 'response-topic', correlationData: 'correlation-data',
} as const

/**
 * Properties in wire order: from `wire` when the client decoded it (repeated user-property keys), else in
 * the order the decoder produced them (wire order of first occurrences).
 */
export function propertyList(p: PublishProperties | undefined, wire?: readonly WireProperty[]): PropValue[] {
  if (wire) {
    return wire.map((w): PropValue => (w.name === 'userProperty'
      ? { name: 'user-property', key: w.key, value: w.value }
      : { name: KEBAB[w.name], value: w.value } as PropValue))
  }
  const out: PropValue[] = []
  if (!p) return out
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === null) continue
    switch (k) {
      case 'payloadFormatIndicator': out.push({ name: 'payload-format-indicator', value: Number(v) }); break
      case 'messageExpiryInterval': out.push({ name: 'message-expiry-interval', value: Number(v) }); break
      case 'topicAlias': out.push({ name: 'topic-alias', value: Number(v) }); break
      case 'subscriptionIdentifier':
        for (const id of asList(v as number | number[])) out.push({ name: 'subscription-identifier', value: id })
        break
      case 'contentType': out.push({ name: 'content-type', value: String(v) }); break
      case 'responseTopic': out.push({ name: 'response-topic', value: String(v) }); break
      case 'correlationData': out.push({ name: 'correlation-data', value: Buffer.from(v as Buffer) }); break
      case 'userProperties':
        for (const [uk, uv] of Object.entries(v as Record<string, string | string[]>)) {
          for (const one of asList(uv)) out.push({ name: 'user-property', key: uk, value: String(one) })
        }
        break
    }
  }
  return out
}

export function firstNumber(list: PropValue[], name: PropValue['name']): number | undefined {
  const p = list.find((x) => x.name === name)
  return p && typeof p.value === 'number' ? p.value : undefined
}

export function firstString(list: PropValue[], name: 'content-type' | 'response-topic'): string | undefined {
  const p = list.find((x) => x.name === name)
  return p && typeof p.value === 'string' ? p.value : undefined
}
