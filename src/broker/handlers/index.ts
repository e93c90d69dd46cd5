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
