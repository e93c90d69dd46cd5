// PINGREQ → PINGRESP [MQTT-3.12.4-1].
import type { PingreqPacket } from '../../codec/index.js'
import { pingresp } from '../../codec/packets.js'
import type { BrokerClient } from '../broker-client.js'

export function handlePingreq(c: BrokerClient, _p: PingreqPacket): void {
  if (c.broker.log.debug) {
    c.broker.log.write('debug', `Received PINGREQ from ${c.clientId}`)
    c.broker.log.write('debug', `Sending PINGRESP to ${c.clientId}`)
  }
  c.send(pingresp())
}
