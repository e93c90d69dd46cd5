// AUTH: enhanced authentication is not offered (no authentication method is ever accepted), so an AUTH
// packet from a client is a protocol error [MQTT-4.12.0-1].
import type { AuthPacket } from '../../codec/index.js'
import { RC } from '../../codec/reason-codes.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'

export function handleAuth(_c: BrokerClient, _p: AuthPacket): void {
  throw new ProtocolError(RC.PROTOCOL_ERROR, 'AUTH without an authentication method')
}
