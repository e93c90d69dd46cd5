// A scripted broker over in-memory streams for client tests: each connection attempt of the client gets a
// fresh duplex pair; the test reads the client's packets in order, answers, and drops connections at will.
import { duplexPair, type Duplex } from 'node:stream'
import { createDecoder, encode, type Packet, type ProtocolVersion } from '../../src/codec/index.js'
import type { TransportFactory } from '../../src/core/transport.js'

export class MemoryPeer {
  readonly #inbox: Packet[] = []
  readonly #waiters: ((p: Packet) => void)[] = []
  #closed = false

  constructor(private readonly server: Duplex, private readonly client: Duplex, private version: ProtocolVersion = 4) {
    const d = createDecoder(undefined, (p) => {
      if (p.cmd === 'connect') this.version = (p.protocolVersion ?? 4) as ProtocolVersion
      const w = this.#waiters.shift()
      if (w) w(p)
      else this.#inbox.push(p)
    }, () => this.drop())
    server.on('data', (c: Buffer) => d.push(c))
    server.on('error', () => {})
  }

  /** The client's next packet (the test fails by timeout, never hangs: node:test's own timeout). */
  next(): Promise<Packet> {
    const p = this.#inbox.shift()
    if (p) return Promise.resolve(p)
    return new Promise((resolve) => { this.#waiters.push(resolve) })
  }

  /** The next packet, checked to be of `cmd`. */
  async expect<C extends Packet['cmd']>(cmd: C): Promise<Extract<Packet, { cmd: C }>> {
    const p = await this.next()
    if (p.cmd !== cmd) throw new Error(`expected ${cmd}, got ${p.cmd}: ${JSON.stringify(p)}`)
    return p as Extract<Packet, { cmd: C }>
  }

  send(p: Packet): void { if (!this.#closed) this.server.write(encode(p, this.version)) }

  connack(sessionPresent = false, code = 0): void {
    this.send(this.version === 5 ? { cmd: 'connack', sessionPresent, reasonCode: code } : { cmd: 'connack', sessionPresent, returnCode: code })
  }

  /** The network goes away under both ends. */
  drop(): void {
    this.#closed = true
    this.server.destroy()
    this.client.destroy()
  }
}

/** A transport factory whose attempts the test sees as MemoryPeers; `fail` makes the next attempts fail. */
export class MemoryNetwork {
  readonly #peers: MemoryPeer[] = []
  #waiter: ((p: MemoryPeer) => void) | undefined
  attempts = 0
  /** Errors for the next attempts, in order (a broker that is down). */
  failures: Error[] = []

  readonly transport: TransportFactory = async () => {
    this.attempts++
    const err = this.failures.shift()
    if (err) throw err
    const [client, server] = duplexPair()
    const peer = new MemoryPeer(server, client)
    const w = this.#waiter
    this.#waiter = undefined
    if (w) w(peer)
    else this.#peers.push(peer)
    return client
  }

  /** The next connection the client opens. */
  nextConnection(): Promise<MemoryPeer> {
    const p = this.#peers.shift()
    if (p) return Promise.resolve(p)
    return new Promise((resolve) => { this.#waiter = resolve })
  }
}

/** Let pending promise continuations run (the client reacts to a packet in a microtask or two). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r))
}
