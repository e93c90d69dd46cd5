// mosquitto's broker log lines (reference §9), formatted in one place.
import type { Packet } from '../codec/index.js'

/** `Received PUBLISH from id (d0, q1, r0, m3, 'topic', ... (5 bytes))` / `Sending PUBLISH to id (...)`. */
export function publishLine(
  dir: 'Received' | 'Sending' | 'Denied', id: string, dup: 0 | 1, qos: number, retain: boolean, mid: number, topic: string, bytes: number,
): string {
  const prep = dir === 'Sending' ? 'to' : 'from'
  return `${dir} PUBLISH ${prep} ${id} (d${dup}, q${qos}, r${retain ? 1 : 0}, m${mid}, '${topic}', ... (${bytes} bytes))`
}

/** `New client connected from 127.0.0.1:58350 as id (p2, c1, k60, u'user').` (`New bridge connected …` for a bridge) */
export function connectedLine(
  address: string, id: string, version: number, clean: boolean, keepalive: number, username: string | undefined, bridge = false,
): string {
  const p = version === 5 ? 5 : version === 4 ? 2 : 1
  const u = username !== undefined ? `, u'${username}'` : ''
  return `New ${bridge ? 'bridge' : 'client'} connected from ${address} as ${id} (p${p}, c${clean ? 1 : 0}, k${keepalive}${u}).`
}

/** mosquitto's `Sending PUBACK to id (m1, rc0)` debug line for an acknowledgement (undefined for other packets). */
export function ackLine(id: string, p: Packet): string | undefined {
  if (p.cmd !== 'puback' && p.cmd !== 'pubrec' && p.cmd !== 'pubrel' && p.cmd !== 'pubcomp') return undefined
  return `Sending ${p.cmd.toUpperCase()} to ${id} (m${p.messageId ?? 0}, rc${p.reasonCode ?? 0})`
}
