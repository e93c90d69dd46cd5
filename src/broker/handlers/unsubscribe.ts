// UNSUBSCRIBE: remove each filter; v5 says per filter whether a subscription existed.
import type { UnsubscribePacket } from '../../codec/index.js'
import { unsuback } from '../../codec/packets.js'
import { RC } from '../../codec/reason-codes.js'
import { isValidTopicFilter, parseSharedFilter } from '../../codec/topics.js'
import type { BrokerClient } from '../broker-client.js'

export function handleUnsubscribe(c: BrokerClient, p: UnsubscribePacket): void {
  const b = c.broker
  if (b.log.debug) b.log.write('debug', `Received UNSUBSCRIBE from ${c.clientId}`)
  const codes: number[] = []
  for (const filter of p.unsubscriptions) {
    const shared = parseSharedFilter(filter)
    if (shared === null || (shared === undefined && !isValidTopicFilter(filter))) { codes.push(RC.TOPIC_FILTER_INVALID); continue }
    const removed = b.sessions.unsubscribe(c.session!, filter)
    b.log.write('unsubscribe', `${c.clientId} ${filter}`)
    codes.push(removed ? RC.SUCCESS : RC.NO_SUBSCRIPTION_EXISTED)
  }
  if (b.log.debug) b.log.write('debug', `Sending UNSUBACK to ${c.clientId}`)
  c.send(unsuback(p.messageId ?? 0, codes)) // [MQTT-3.10.4-4]; v3 encodes no codes
}
