// UNSUBSCRIBE: remove each filter; v5 says per filter whether a subscription existed. (Packet id 0, no filter
// and bad UTF-8 never get here: codec/packet-check.ts.)
import type { UnsubscribePacket } from '../../codec/index.js'
import { unsuback } from '../../codec/packets.js'
import { RC } from '../../codec/reason-codes.js'
import { parseFilter } from '../../codec/topics.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'

export function handleUnsubscribe(c: BrokerClient, p: UnsubscribePacket): void {
  const b = c.broker
  if (b.log.debug) b.log.write('debug', `Received UNSUBSCRIBE from ${c.clientId}`)
  const valid = p.unsubscriptions.map((f) => parseFilter(f, b.opts.maxTopicLevels) !== null)
  // 3.1/3.1.1 closes on a malformed filter, as mosquitto does; v5 answers 0x8F for it in the UNSUBACK
  if (c.version !== 5 && valid.includes(false)) throw new ProtocolError(RC.TOPIC_FILTER_INVALID, 'invalid topic filter')
  const codes: number[] = []
  for (const [i, filter] of p.unsubscriptions.entries()) {
    if (!valid[i]) { codes.push(RC.TOPIC_FILTER_INVALID); continue }
    const removed = b.sessions.unsubscribe(c.session!, filter)
    b.log.write('unsubscribe', `${c.clientId} ${filter}`)
    codes.push(removed ? RC.SUCCESS : RC.NO_SUBSCRIPTION_EXISTED)
  }
  if (b.log.debug) b.log.write('debug', `Sending UNSUBACK to ${c.clientId}`)
  c.send(unsuback(p.messageId ?? 0, codes)) // [MQTT-3.10.4-4]; v3 encodes no codes
}
