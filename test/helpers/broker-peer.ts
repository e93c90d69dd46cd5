// A raw MQTT peer over TCP: writes exact bytes or encoded packets, reads decoded packets. For protocol
// violations and byte-level checks that MQTT.js would refuse to produce.
import net from 'node:net'
import type { TestContext } from 'node:test'
import { createDecoder, encode, type Packet, type ProtocolVersion } from '../../src/codec/index.js'

export class Peer {
  readonly packets: Packet[] = []
  readonly closed: Promise<void>
  #read = 0
  #waiters: (() => void)[] = []
  #isClosed = false

  private constructor(readonly socket: net.Socket, readonly version: ProtocolVersion) {
    const decoder = createDecoder(version, (p) => { this.packets.push(p); this.#wake() }, () => socket.destroy())
    socket.on('data', (c: Buffer) => decoder.push(c))
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => socket.once('close', () => { this.#isClosed = true; this.#wake(); resolve() }))
  }

  static async open(t: TestContext, port: number, version: ProtocolVersion = 4): Promise<Peer> {
    const socket = net.connect({ port, host: '127.0.0.1' })
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
    const peer = new Peer(socket, version)
    t.after(() => { socket.destroy() })
    return peer
  }

  /** Open, CONNECT and wait for CONNACK. */
  static async connected(t: TestContext, port: number, version: ProtocolVersion, clientId: string, extra: Record<string, unknown> = {}): Promise<Peer> {
    const peer = await Peer.open(t, port, version)
    peer.send({ cmd: 'connect', protocolId: version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: version, clientId, clean: true, keepalive: 60, ...extra } as Packet)
    const ack = await peer.next()
    if (ack.cmd !== 'connack') throw new Error(`expected CONNACK, got ${ack.cmd}`)
    return peer
  }

  get isClosed(): boolean { return this.#isClosed }

  send(p: Packet): void { this.socket.write(encode(p, this.version)) }
  write(bytes: Buffer | number[]): void { this.socket.write(Buffer.from(bytes)) }

  /** The next packet; rejects when the connection closes first or after `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<Packet> {
    const end = Date.now() + timeoutMs
    for (;;) {
      if (this.#read < this.packets.length) return this.packets[this.#read++]!
      if (this.#isClosed) throw new Error('connection closed')
      const left = end - Date.now()
      if (left <= 0) throw new Error(`no packet within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }

  /** Wait for the broker to close the connection; returns the packets it sent before closing. */
  async closedWithin(timeoutMs = 3000): Promise<Packet[]> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.closed, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('still open')), timeoutMs) })])
    clearTimeout(timer)
    return this.packets.slice(this.#read)
  }

  #wake(): void {
    const ws = this.#waiters
    this.#waiters = []
    for (const w of ws) w()
  }
}
