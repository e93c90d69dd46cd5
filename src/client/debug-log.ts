// mosquitto's `-d` debug lines (libmosquitto log strings), byte for byte. Pure: packet in, lines out.
import type { Packet, PublishPacket } from '../codec/index.js'

const flag = (b: boolean | undefined) => (b ? 1 : 0)

function publishLine(id: string, dir: 'sending' | 'received', p: PublishPacket, mid: number): string {
  const len = typeof p.payload === 'string' ? Buffer.byteLength(p.payload) : p.payload.length
  const topic = p.topic === '' ? '(null)' : p.topic
  return `Client ${id} ${dir} PUBLISH (d${flag(p.dup)}, q${p.qos}, r${flag(p.retain)}, m${mid}, '${topic}', ... (${len} bytes))`
}

/** Lines for a packet we are about to send. `mid` is the id to show for a QoS 0 publish (libmosquitto counts those too). */
export function describeOutgoing(id: string, p: Packet, mid?: number): string[] {
  switch (p.cmd) {
    case 'connect': return [`Client ${id} sending CONNECT`]
    case 'publish': return [publishLine(id, 'sending', p, p.messageId ?? mid ?? 0)]
    case 'puback': return [`Client ${id} sending PUBACK (m${p.messageId}, rc${p.reasonCode ?? 0})`]
    case 'pubrec': return [`Client ${id} sending PUBREC (m${p.messageId}, rc${p.reasonCode ?? 0})`]
    case 'pubrel': return [`Client ${id} sending PUBREL (m${p.messageId})`]
    case 'pubcomp': return [`Client ${id} sending PUBCOMP (m${p.messageId})`]
    case 'subscribe':
      return p.subscriptions.map((s) => {
        const options = (s.nl ? 0x04 : 0) | (s.rap ? 0x08 : 0) | ((s.rh ?? 0) << 4)
        return `Client ${id} sending SUBSCRIBE (Mid: ${p.messageId}, Topic: ${s.topic}, QoS: ${s.qos}, Options: 0x${options.toString(16).padStart(2, '0')})`
      })
    case 'unsubscribe': return p.unsubscriptions.map((t) => `Client ${id} sending UNSUBSCRIBE (Mid: ${p.messageId}, Topic: ${t})`)
    case 'pingreq': return [`Client ${id} sending PINGREQ`]
    case 'disconnect': return [`Client ${id} sending DISCONNECT`]
    default: return []
  }
}

/** The line for a packet we received, if libmosquitto logs one. */
export function describeIncoming(id: string, p: Packet): string | undefined {
  switch (p.cmd) {
    case 'connack': return `Client ${id} received CONNACK (${p.reasonCode ?? p.returnCode ?? 0})`
    case 'publish': return publishLine(id, 'received', p, p.messageId ?? 0)
    case 'puback': return `Client ${id} received PUBACK (Mid: ${p.messageId}, RC:${p.reasonCode ?? 0})`
    case 'pubcomp': return `Client ${id} received PUBCOMP (Mid: ${p.messageId}, RC:${p.reasonCode ?? 0})`
    case 'pubrec': return `Client ${id} received PUBREC (Mid: ${p.messageId})`
    case 'pubrel': return `Client ${id} received PUBREL (Mid: ${p.messageId})`
    case 'suback': return `Client ${id} received SUBACK`
    case 'unsuback': return `Client ${id} received UNSUBACK`
    case 'pingresp': return `Client ${id} received PINGRESP`
    case 'disconnect': return `Received DISCONNECT (${p.reasonCode ?? 0})`
    case 'auth': return `Client ${id} received AUTH`
    default: return undefined
  }
}
