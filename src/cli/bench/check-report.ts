// The text tsbench --check prints (--json prints the CheckReport itself). Pure.
import type { CheckReport, LimitResult } from './check.js'

const yes = (b: boolean | null) => (b === null ? 'not announced' : b ? 'yes' : 'no')
const limit = (l: LimitResult, unit: string) =>
  `${l.largestOk} ${unit} ok${l.firstFailed !== null ? `, ${l.firstFailed} failed` : l.largestOk === l.cap ? ' (the probe cap)' : ' (probe time limit)'}`

export function checkText(r: CheckReport): string {
  const lines = [`tsbench --check ${r.broker}`]
  for (const [name, v] of Object.entries(r.protocolVersions)) {
    lines.push(`MQTT ${name.slice(1).padEnd(6)} ${v.accepted ? 'accepted' : `refused${v.reasonCode !== undefined ? ` (${v.reasonCode})` : ''}: ${v.error ?? ''}`}`)
  }
  lines.push(`probes below over MQTT ${({ 3: '3.1', 4: '3.1.1', 5: '5' } as const)[r.probedWith]}`)
  for (const q of r.qos) {
    lines.push(`QoS ${q.qos}        subscribe granted ${q.granted ?? 'nothing'}, ${q.delivered ? `delivered at QoS ${q.deliveredQos}` : 'not delivered'}`)
  }
  lines.push(`retained     ${yes(r.retained)}`)
  lines.push(`wildcard +   ${yes(r.wildcards['+'])}`)
  lines.push(`wildcard #   ${yes(r.wildcards['#'])}`)
  lines.push(`$share       ${yes(r.sharedSubscriptions)}`)
  lines.push(`max payload  ${limit(r.maxPayload, 'bytes')}`)
  lines.push(`max topic    ${limit(r.maxTopicLength, 'bytes')}`)
  const c = r.connack
  if (c) {
    const n = (v: number | null) => (v === null ? 'not announced' : String(v))
    lines.push(`v5 CONNACK   receive maximum ${n(c.receiveMaximum)}, topic alias maximum ${n(c.topicAliasMaximum)}, maximum packet size ${n(c.maximumPacketSize)}, maximum QoS ${n(c.maximumQoS)}`)
    lines.push(`             retain ${yes(c.retainAvailable)}, wildcards ${yes(c.wildcardSubscriptionAvailable)}, shared ${yes(c.sharedSubscriptionAvailable)}, subscription identifiers ${yes(c.subscriptionIdentifiersAvailable)}, server keepalive ${n(c.serverKeepAlive)}`)
  }
  return lines.join('\n') + '\n'
}
