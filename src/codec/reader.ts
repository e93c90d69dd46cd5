// A bounds-checked cursor over one packet's bytes, for the strict checks (packet-check.ts). Every read past
// the end, and every string that is not an MQTT UTF-8 string, is a malformed packet.
import { RC } from './reason-codes.js'
import { isMqttString } from './utf8.js'

/**
 * A packet the broker refuses while decoding. `reasonCode` is what a v5 DISCONNECT carries: 0x81 Malformed
 * Packet, 0x82 Protocol Error, or 0x84 Unsupported Protocol Version (answered with a CONNACK instead).
 */
export class PacketError extends Error {
  constructor(readonly reasonCode: number, message: string) {
    super(message)
    this.name = 'PacketError'
  }
}

export const malformed = (why: string) => new PacketError(RC.MALFORMED_PACKET, why)
export const protocolError = (why: string) => new PacketError(RC.PROTOCOL_ERROR, why)

export class Reader {
  pos: number
  constructor(readonly buf: Buffer, start: number, public end: number) { this.pos = start }

  get left(): number { return this.end - this.pos }

  #need(n: number): number {
    const at = this.pos
    if (at + n > this.end) throw malformed('packet too short')
    this.pos = at + n
    return at
  }

  u8(): number { return this.buf[this.#need(1)]! }
  u16(): number { return this.buf.readUInt16BE(this.#need(2)) }
  u32(): number { return this.buf.readUInt32BE(this.#need(4)) }
  skip(n: number): void { this.#need(n) }

  /** A variable byte integer, at most four bytes [MQTT-1.5.5-1] (v5). */
  varint(): number {
    let value = 0
    for (let i = 0, m = 1; i < 4; i++, m *= 128) {
      const b = this.u8()
      value += (b & 0x7f) * m
      if ((b & 0x80) === 0) return value
    }
    throw malformed('variable byte integer longer than four bytes')
  }

  /** Two-byte length + bytes; returns where the bytes start (they end at `pos`). */
  binary(): number {
    const n = this.u16()
    return this.#need(n)
  }

  /** A UTF-8 Encoded String, checked; returns where its bytes start. */
  string(what: string): number {
    const at = this.binary()
    if (!isMqttString(this.buf, at, this.pos)) throw malformed(`${what} is not valid UTF-8 or holds U+0000`)
    return at
  }

  /** A checked string, decoded (only where the text itself is needed). */
  text(what: string): string {
    const at = this.string(what)
    return this.buf.toString('utf8', at, this.pos)
  }
}
