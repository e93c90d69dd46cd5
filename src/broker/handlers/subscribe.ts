// SUBSCRIBE: validate each filter, authorize it, store the subscription, SUBACK, then matching retained
// messages. (Packet id 0, no filter at all and bad UTF-8 never get here: codec/packet-check.ts.)
import type { QoS, SubscribePacket } from '../../codec/index.js'
import { suback } from '../../codec/packets.js'
import { RC } from '../../codec/reason-codes.js'
import { parseFilter } from '../../codec/topics.js'
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
  if (log.debug) log.write('debug', `Received SUBSCRIBE from ${c.clientId}`)
  const checked = p.subscriptions.map((s) => parseFilter(s.topic, b.opts.maxTopicLevels))
  // 3.1/3.1.1: a malformed filter (misplaced wildcard [MQTT-4.7.1-2], [MQTT-4.7.1-3]) or one past the depth
  // limit closes the connection, as mosquitto does, before any filter of the packet is subscribed.
  if (!v5 && checked.includes(null)) throw new ProtocolError(RC.TOPIC_FILTER_INVALID, 'invalid topic filter')
  const granted: number[] = []
  const withRetained: Subscription[] = []
  for (const [i, s] of p.subscriptions.entries()) {
    const filter = s.topic
    const shared = checked[i]
    if (shared === null) { granted.push(RC.TOPIC_FILTER_INVALID); continue } // v5: the SUBACK says why
    if (b.hooks.checksSubscribe && !b.hooks.authorizeSubscribe(c.info!, shared ? shared.filter : filter)) {
      if (log.debug) log.write('debug', `Denied SUBSCRIBE from ${c.clientId} to '${filter}'`)
      granted.push(v5 ? RC.NOT_AUTHORIZED : 0x80) // the read ACL can never let a message of it through
      continue
    }
    if (shared && s.nl && v5) throw new ProtocolError(RC.PROTOCOL_ERROR, 'no-local on a shared subscription') // [MQTT-3.8.3-4]
    const qos = Math.min(s.qos, b.opts.maxQos) as QoS
    if (log.debug) log.write('debug', `\t${filter} (QoS ${s.qos})`)
    // a 3.1/3.1.1 bridge (try_private) is never sent its own messages and gets the retain flag as published (mosquitto)
    const sub: Subscription = {
      session, filter, topicFilter: shared ? shared.filter : filter, group: shared?.group, qos,
      noLocal: v5 ? s.nl === true : c.bridge, retainAsPublished: v5 ? s.rap === true : c.bridge,
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
