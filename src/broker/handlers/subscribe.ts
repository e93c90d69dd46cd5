// SUBSCRIBE: validate each filter, store the subscription, SUBACK, then matching retained messages.
import type { QoS, SubscribePacket } from '../../codec/index.js'
import { suback } from '../../codec/packets.js'
import { RC } from '../../codec/reason-codes.js'
import { isValidTopicFilter, parseSharedFilter } from '../../codec/topics.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'
import type { Subscription } from '../session.js'

export function handleSubscribe(c: BrokerClient, p: SubscribePacket): void {
  const b = c.broker
  const v5 = c.version === 5
  const log = b.log
  const session = c.session!
  const rawId = v5 ? p.properties?.subscriptionIdentifier : undefined
  const subId = Array.isArray(rawId) ? rawId[0] : rawId
  if (subId === 0) throw new ProtocolError(RC.PROTOCOL_ERROR, 'subscription identifier 0') // MQTT 5 §3.8.2.1.2: 1..268435455
  if (log.debug) log.write('debug', `Received SUBSCRIBE from ${c.clientId}`)
  const granted: number[] = []
  const withRetained: Subscription[] = []
  for (const s of p.subscriptions) {
    const filter = s.topic
    const shared = parseSharedFilter(filter)
    if (shared === null || (shared === undefined && !isValidTopicFilter(filter))) {
      // v5 says why; v3.1.1 has only "failure" (mosquitto closes the connection instead — friendlier this way)
      granted.push(v5 ? RC.TOPIC_FILTER_INVALID : 0x80)
      continue
    }
    if (shared && s.nl && v5) throw new ProtocolError(RC.PROTOCOL_ERROR, 'no-local on a shared subscription') // [MQTT-3.8.3-4]
    const qos = Math.min(s.qos, b.opts.maxQos) as QoS
    if (log.debug) log.write('debug', `\t${filter} (QoS ${s.qos})`)
    const sub: Subscription = {
      session, filter, topicFilter: shared ? shared.filter : filter, group: shared?.group, qos,
      noLocal: v5 && s.nl === true, retainAsPublished: v5 && s.rap === true,
      retainHandling: v5 ? ((s.rh ?? 0) as 0 | 1 | 2) : 0, id: subId,
    }
    const replaced = b.sessions.subscribe(sub) !== undefined
    log.write('subscribe', `${c.clientId} ${s.qos} ${filter}`)
    granted.push(qos)
    // retained messages: rh 0 always, rh 1 only for a new subscription, rh 2 never [MQTT-3.3.1-9..11]; never for shared ones
    if (!shared && (sub.retainHandling === 0 || (sub.retainHandling === 1 && !replaced))) withRetained.push(sub)
  }
  if (log.debug) log.write('debug', `Sending SUBACK to ${c.clientId}`)
  c.send(suback(p.messageId ?? 0, granted)) // [MQTT-3.8.4-1]
  if (withRetained.length > 0) sendRetained(c, withRetained)
}

function sendRetained(c: BrokerClient, subs: Subscription[]): void {
  const b = c.broker
  const now = b.opts.now()
  for (const sub of subs) {
    for (const m of b.retained.match(sub.topicFilter, now)) {
      if (b.hooks.checksRead && !b.hooks.authorizeRead(c.info!, m.topic)) continue
      const qos = (m.qos < sub.qos ? m.qos : sub.qos)
      c.deliver(sub.session, m, qos, true, sub.id !== undefined ? [sub.id] : undefined, now) // [MQTT-3.3.1-8]
    }
  }
}
