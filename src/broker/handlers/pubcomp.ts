// PUBCOMP from a subscriber: settles a QoS 2 delivery.
import type { PubcompPacket } from '../../codec/index.js'
import type { BrokerClient } from '../broker-client.js'

export function handlePubcomp(c: BrokerClient, p: PubcompPacket): void {
  if (c.broker.log.debug) c.broker.log.write('debug', `Received PUBCOMP from ${c.clientId} (Mid: ${p.messageId}, RC:${p.reasonCode ?? 0})`)
  c.run(c.session!.qos.onPubcomp(p))
}
