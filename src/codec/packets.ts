// Typed packet builders: the places that write packet literals for acks and control packets.
import type {
  ConnectPacket, PubackPacket, PubrecPacket, PubrelPacket, PubcompPacket, DisconnectPacket, PingreqPacket,
  PingrespPacket, SubackPacket, UnsubackPacket,
} from './index.js'

/**
 * mosquitto's bridge bit ("try_private"): a 3.1/3.1.1 CONNECT whose protocol level has 0x80 set. mqtt-packet
 * decodes and encodes it as `bridgeMode` (levels 0x83 and 0x84 only), which its types do not declare.
 */
export type BridgeConnect = ConnectPacket & { bridgeMode?: boolean }

export const isBridgeConnect = (p: ConnectPacket): boolean => (p as BridgeConnect).bridgeMode === true

type AckProps = { reasonString?: string }

function withReason<T extends { reasonCode?: number; properties?: AckProps }>(p: T, rc?: number, reason?: string): T {
  if (rc !== undefined && rc !== 0) p.reasonCode = rc
  if (reason !== undefined) p.properties = { reasonString: reason }
  return p
}

export const puback = (messageId: number, rc?: number, reason?: string): PubackPacket =>
  withReason<PubackPacket>({ cmd: 'puback', messageId }, rc, reason)
export const pubrec = (messageId: number, rc?: number, reason?: string): PubrecPacket =>
  withReason<PubrecPacket>({ cmd: 'pubrec', messageId }, rc, reason)
export const pubrel = (messageId: number, rc?: number): PubrelPacket =>
  withReason<PubrelPacket>({ cmd: 'pubrel', messageId }, rc)
export const pubcomp = (messageId: number, rc?: number): PubcompPacket =>
  withReason<PubcompPacket>({ cmd: 'pubcomp', messageId }, rc)
export const suback = (messageId: number, granted: number[]): SubackPacket =>
  ({ cmd: 'suback', messageId, granted })
export const unsuback = (messageId: number, granted: number[]): UnsubackPacket =>
  ({ cmd: 'unsuback', messageId, granted })
export const pingreq = (): PingreqPacket => ({ cmd: 'pingreq' })
export const pingresp = (): PingrespPacket => ({ cmd: 'pingresp' })
export const disconnect = (rc?: number, reason?: string): DisconnectPacket =>
  withReason<DisconnectPacket>({ cmd: 'disconnect' }, rc, reason)
