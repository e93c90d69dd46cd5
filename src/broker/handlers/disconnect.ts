// DISCONNECT from a client: a normal one drops the will [MQTT-3.14.4-3]; v5 reason 0x04 keeps it; v5 may
// change the session expiry interval on the way out.
import type { DisconnectPacket } from '../../codec/index.js'
import { RC } from '../../codec/reason-codes.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'

export function handleDisconnect(c: BrokerClient, p: DisconnectPacket): void {
  const b = c.broker
  if (b.log.debug) b.log.write('debug', `Received DISCONNECT from ${c.clientId}`)
  const session = c.session!
  const expiry = c.version === 5 ? p.properties?.sessionExpiryInterval : undefined
  if (expiry !== undefined) {
    // a session that was to end with the connection cannot be extended here [MQTT-3.14.2-2]
    if (session.expiryMs === 0 && expiry !== 0) throw new ProtocolError(RC.PROTOCOL_ERROR, 'session expiry set on DISCONNECT')
    session.expiryMs = expiry === 0xffffffff ? Infinity : expiry * 1000
  }
  if (c.version !== 5 || (p.reasonCode ?? 0) !== RC.DISCONNECT_WITH_WILL) session.will = undefined
  c.graceful = true
  c.closeLogged = true
  b.log.write('notice', `Client ${c.clientId} disconnected.`)
  c.end()
}
