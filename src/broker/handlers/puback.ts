// PUBACK from a subscriber: settles a QoS 1 delivery and lets the next queued message into the window.
import type { PubackPacket } from '../../codec/index.js'
import type { BrokerClient } from '../broker-client.js'

export function handlePuback(c: BrokerClient, p: PubackPacket): void {
  if (c.broker.log.debug) c.broker.log.write('debug', `Received PUBACK from ${c.clientId} (Mid: ${p.messageId}, RC:${p.reasonCode ?? 0})`)
  c.run(c.session!.qos.onPuback(p))
}
