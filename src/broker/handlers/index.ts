// The typed dispatch table: one handler per inbound packet type; a missing one is a compile error.
import type { Packet } from '../../codec/index.js'
import { RC } from '../../codec/reason-codes.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'
import { handleAuth } from './auth.js'
import { handleConnect } from './connect.js'
import { handleDisconnect } from './disconnect.js'
import { handlePingreq } from './pingreq.js'
import { handlePuback } from './puback.js'
import { handlePubcomp } from './pubcomp.js'
import { handlePublish } from './publish.js'
import { handlePubrec } from './pubrec.js'
import { handlePubrel } from './pubrel.js'
import { handleSubscribe } from './subscribe.js'
import { handleUnsubscribe } from './unsubscribe.js'

type Handler<C extends Packet['cmd']> = (c: BrokerClient, p: Extract<Packet, { cmd: C }>) => void | Promise<void>
type InboundCmd = 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'subscribe' | 'unsubscribe' | 'pingreq' | 'disconnect' | 'auth'

const handlers = {
  publish: handlePublish, puback: handlePuback, pubrec: handlePubrec, pubrel: handlePubrel, pubcomp: handlePubcomp,
  subscribe: handleSubscribe, unsubscribe: handleUnsubscribe, pingreq: handlePingreq, disconnect: handleDisconnect,
  auth: handleAuth,
} satisfies { [C in InboundCmd]: Handler<C> }

/** CONNACK "unacceptable protocol version" in the 3.1.1 form, which mosquitto sends whatever level was asked. */
const UNSUPPORTED_LEVEL = Buffer.from([0x20, 2, 0, 1])

/**
 * A packet the strict decoder refused (codec/packet-check.ts). A CONNECT asking for a protocol level we do
 * not speak gets CONNACK 0x01 [MQTT-3.1.2-2] (3.1.1); any other bad CONNECT just closes, as mosquitto does.
 * After CONNECT, v5 clients get DISCONNECT with the reason first (0x81 malformed, 0x82 protocol error).
 */
export function handleInvalid(c: BrokerClient, e: ProtocolError): void {
  if (c.state === 'new' && e.reasonCode === RC.UNSUPPORTED_PROTOCOL_VERSION) c.sendRaw(UNSUPPORTED_LEVEL)
  if (c.state === 'connecting') { c.conn.destroy(e); return } // the CONNECT is still being authenticated: no CONNACK
  c.fail(e)
}

/** Handle one packet; a returned promise means "wait before the next packet of this connection". */
export function dispatch(c: BrokerClient, p: Packet): void | Promise<void> {
  if (p.cmd === 'connect') {
    if (c.state !== 'new') throw new ProtocolError(RC.PROTOCOL_ERROR, 'second CONNECT') // [MQTT-3.1.0-2]
    return handleConnect(c, p)
  }
  if (c.state !== 'connected') throw new ProtocolError(RC.PROTOCOL_ERROR, `${p.cmd} before CONNECT`) // [MQTT-3.1.0-1]
  const handler = (handlers as Partial<Record<Packet['cmd'], Handler<Packet['cmd']>>>)[p.cmd]
  if (!handler) throw new ProtocolError(RC.PROTOCOL_ERROR, `unexpected ${p.cmd} from a client`)
  return handler(c, p as never)
}
