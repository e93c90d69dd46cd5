// The streaming decoder: mqtt-packet's parser, and for the broker a strict check of every packet's bytes
// before mqtt-packet sees them (packet-check.ts).
import mqttPacket from 'mqtt-packet'
import { fastDecode } from './fast-decode.js'
import { PacketFramer, type Frames } from './framer.js'
import type { Packet, ProtocolVersion } from './index.js'
import { checkPacket, type Checked } from './packet-check.js'
import { withPropertyOrder } from './property-order.js'

export interface Decoder {
  push(chunk: Buffer): void
  /** Switch the decoder's protocol version (the broker learns it from CONNECT). */
  setVersion(v: ProtocolVersion): void
}

/**
 * A streaming decoder. `version` undefined means "learn it from the CONNECT packet" (broker side):
 * mqtt-packet's parser adopts the CONNECT it parses as its settings.
 * - keepRaw (the client): frame packets ourselves and hand each one's bytes along (wire-order properties).
 * - strict (the broker): frame packets and check each one's bytes first; a refused packet reaches
 *   `onError` as a PacketError after the packets before it were delivered; accepted ones carry the wire
 *   order of their user properties (property-order.ts). The packets of a chunk that passed are then
 *   parsed in one go, as without framing. (The two are not combined: strict hands no raw bytes along.)
 */
export function createDecoder(
  version: ProtocolVersion | undefined,
  onPacket: (p: Packet, raw?: Buffer) => void,
  onError: (e: Error) => void,
  opts: { keepRaw?: boolean; strict?: boolean } = {},
): Decoder {
  const p = mqttPacket.parser(version === undefined ? {} : { protocolVersion: version })
  let failed = false
  // Every decoder frames packets: MQTT 3.1/3.1.1 PUBLISH, acks and pings are then decoded directly
  // (fast-decode.ts); the rest, and all of MQTT 5, goes to mqtt-packet one packet at a time, in order.
  const framer = new PacketFramer()
  let raw: Buffer | undefined
  /** Strict: what the check learnt of each packet handed to the parser, in order (undefined: nothing). */
  const checks: Array<Checked | undefined> = []
  let nextCheck = 0
  let known = version
  p.on('packet', (packet: Packet) => {
    if (failed) return
    const c = opts.strict ? checks[nextCheck++] : undefined
    if (c !== undefined) attachOrder(packet, c)
    onPacket(packet, opts.keepRaw ? raw : undefined)
  })
  const fail = (e: unknown) => {
    if (failed) return
    failed = true
    onError(e instanceof Error ? e : new Error(String(e)))
  }
  p.on('error', fail)
  const settings = p as unknown as { settings: { protocolVersion?: number } }

  /** The packets `chunk` completes, in order: checked first when strict (a refusal ends the stream after
   * the packets before it were delivered), then decoded fast or by mqtt-packet. */
  const pushFrames = ({ bytes, ends }: Frames) => {
    for (let i = 0, start = 0; i < ends.length && !failed; start = ends[i++]!) {
      const end = ends[i]!
      let c: Checked | undefined
      if (opts.strict) {
        try {
          c = checkPacket(bytes, known, start, end)
        } catch (e) { return fail(e) }
        if (c?.version !== undefined) known = c.version
      }
      if (opts.keepRaw) raw = bytes.subarray(start, end)
      const fast = known !== undefined && known !== 5 ? fastDecode(bytes, start, end) : undefined
      if (fast !== undefined) { onPacket(fast, raw); continue }
      checks.push(c)
      p.parse(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end))
      checks.length = 0
      nextCheck = 0
    }
  }

  return {
    push(chunk) {
      if (failed) return
      try {
        pushFrames(framer.next(chunk))
      } catch (e) { fail(e) }
    },
    setVersion(v) { settings.settings = { ...settings.settings, protocolVersion: v }; known = v },
  }
}

function attachOrder(packet: Packet, c: Checked): void {
  if (c.order && packet.cmd === 'publish' && packet.properties) withPropertyOrder(packet.properties, c.order)
  if (c.willOrder && packet.cmd === 'connect' && packet.will?.properties) withPropertyOrder(packet.will.properties, c.willOrder)
}
