// The streaming decoder: mqtt-packet's parser, and for the broker a strict check of every packet's bytes
// before mqtt-packet sees them (packet-check.ts).
import mqttPacket from 'mqtt-packet'
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
  const framer = opts.keepRaw || opts.strict ? new PacketFramer() : undefined
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

  /** Check the packets `chunk` completes; parse those that passed in one go, then report the first that did not. */
  const pushStrict = ({ bytes, ends }: Frames) => {
    let passed = 0
    let refusal: unknown
    for (let start = 0; passed < ends.length; passed++) {
      const end = ends[passed]!
      try {
        const c = checkPacket(bytes, known, start, end)
        if (c?.version !== undefined) known = c.version
        checks.push(c)
      } catch (e) { refusal = e; break }
      start = end
    }
    if (passed > 0) p.parse(passed === ends.length ? bytes : bytes.subarray(0, ends[passed - 1]))
    checks.length = 0 // every packet handed over was parsed (or the parser failed)
    nextCheck = 0
    if (refusal !== undefined) fail(refusal)
  }

  return {
    push(chunk) {
      if (failed) return
      try {
        if (!framer) p.parse(chunk)
        else if (opts.strict) pushStrict(framer.next(chunk))
        else for (raw of framer.push(chunk)) { p.parse(raw); if (failed) break }
      } catch (e) { fail(e) }
    },
    setVersion(v) { settings.settings = { ...settings.settings, protocolVersion: v }; known = v },
  }
}

function attachOrder(packet: Packet, c: Checked): void {
  if (c.order && packet.cmd === 'publish' && packet.properties) withPropertyOrder(packet.properties, c.order)
  if (c.willOrder && packet.cmd === 'connect' && packet.will?.properties) withPropertyOrder(packet.will.properties, c.willOrder)
}
