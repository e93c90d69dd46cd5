// PUBREL from a publisher: completes an inbound QoS 2 flow (the message was routed on PUBLISH).
import type { PubrelPacket } from '../../codec/index.js'
import type { BrokerClient } from '../broker-client.js'

export function handlePubrel(c: BrokerClient, p: PubrelPacket): void {
  if (c.broker.log.debug) c.broker.log.write('debug', `Received PUBREL from ${c.clientId} (Mid: ${p.messageId})`)
  c.run(c.session!.qos.onPubrel(p))
}
