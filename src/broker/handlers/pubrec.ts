// PUBREC from a subscriber: step two of a QoS 2 delivery (PUBREL goes back).
import type { PubrecPacket } from '../../codec/index.js'
import type { BrokerClient } from '../broker-client.js'

export function handlePubrec(c: BrokerClient, p: PubrecPacket): void {
  if (c.broker.log.debug) c.broker.log.write('debug', `Received PUBREC from ${c.clientId} (Mid: ${p.messageId})`)
  c.run(c.session!.qos.onPubrec(p))
}
