// Splits a byte stream into whole MQTT packets (fixed header + remaining length), so a caller can keep
// each packet's raw bytes next to what mqtt-packet decodes from them.

export class PacketFramer {
  #buf: Buffer = Buffer.alloc(0)

  /** The complete packets in `chunk` (plus what was buffered); throws on a remaining length over 4 bytes. */
  push(chunk: Buffer): Buffer[] {
    let buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk
    const packets: Buffer[] = []
    for (;;) {
      const size = packetSize(buf)
      if (size === undefined || buf.length < size) break
      packets.push(buf.subarray(0, size))
      buf = buf.subarray(size)
    }
    this.#buf = buf.length ? Buffer.from(buf) : Buffer.alloc(0)
    return packets
  }
}

/** Whole size of the packet at the start of `buf`, or undefined while its header is incomplete. */
function packetSize(buf: Buffer): number | undefined {
  let length = 0
  let multiplier = 1
  for (let i = 1; i <= 4; i++) {
    const b = buf[i]
    if (b === undefined) return undefined
    length += (b & 0x7f) * multiplier
    if ((b & 0x80) === 0) return 1 + i + length
    multiplier *= 128
  }
  throw new Error('Invalid variable byte integer') // [MQTT-1.5.5-1]: at most four bytes
}
