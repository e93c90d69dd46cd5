// Exact bytes in, exact bytes out: one end of a duplex pair served by broker.handle(), read as raw bytes.
// Packet-level conformance tests write hand-built packets and compare every byte the broker answers. To
// prove that a connection is still open (and that everything before was handled), send PINGREQ and await
// PINGRESP: nothing sleeps.
import assert from 'node:assert/strict'
import { duplexPair, type Duplex } from 'node:stream'
import type { TestContext } from 'node:test'
import type { Broker } from '../../src/broker/broker.js'

export type Bytes = Buffer | readonly number[] | string

/** Hex (spaces allowed) or bytes, as a Buffer. */
export function bytes(b: Bytes): Buffer {
  return typeof b === 'string' ? Buffer.from(b.replace(/\s+/g, ''), 'hex') : Buffer.from(b)
}

/** Hex for messages, cut short (a 10,000-level topic would drown the report). */
const short = (b: Buffer) => (b.length > 64 ? `${b.subarray(0, 64).toString('hex')}… (${b.length} bytes)` : b.toString('hex') || 'nothing')

/** Where two byte strings part, shown around that offset. */
function difference(got: Buffer, want: Buffer): string {
  if (got.length <= 64 && want.length <= 64) return `got ${got.toString('hex') || 'nothing'}, expected ${want.toString('hex') || 'nothing'}`
  let at = 0
  while (at < got.length && at < want.length && got[at] === want[at]) at++
  const from = Math.max(0, at - 8)
  return `from byte ${at}: got …${got.subarray(from, at + 24).toString('hex')}, expected …${want.subarray(from, at + 24).toString('hex')} (lengths ${got.length}, ${want.length})`
}

export class Wire {
  #buf = Buffer.alloc(0)
  #ended = false
  #wake: (() => void) | undefined
  /** `socket`: our end; `brokers`: the end the broker serves (destroying it does not end ours, so watch it too). */
  private constructor(readonly socket: Duplex, brokers: Duplex) {
    const ended = () => { this.#ended = true; this.#wake?.() }
    socket.on('data', (d: Buffer) => { this.#buf = Buffer.concat([this.#buf, d]); this.#wake?.() })
    socket.on('end', ended).on('close', ended).on('error', () => {})
    brokers.on('close', () => setImmediate(ended)) // after the bytes it wrote last have been read on our side
  }

  /** A new connection to `broker`. */
  static open(t: TestContext, broker: Broker, listener = 'wire'): Wire {
    const [ours, theirs] = duplexPair()
    broker.handle(theirs, { remoteAddress: '127.0.0.1:1', listener })
    t.after(() => { ours.destroy(); theirs.destroy() })
    return new Wire(ours, theirs)
  }

  write(...chunks: Bytes[]): void {
    for (const c of chunks) this.socket.write(bytes(c))
  }

  /** The next `n` bytes; rejects if the broker closes first or nothing comes within `timeoutMs`. */
  async read(n: number, timeoutMs = 3000): Promise<Buffer> {
    await this.#until(() => this.#buf.length >= n || this.#ended, timeoutMs, `${n} bytes`)
    if (this.#buf.length < n) throw new Error(`closed after ${short(this.#buf)}, expected ${n} bytes`)
    const out = this.#buf.subarray(0, n)
    this.#buf = this.#buf.subarray(n)
    return out
  }

  /** The next bytes are exactly `expected`. */
  async expect(expected: Bytes, why?: string): Promise<void> {
    const want = bytes(expected)
    const got = await this.read(want.length).catch((e: Error) => { throw new Error(`${why ?? 'expected'} ${short(want)}: ${e.message}`) })
    if (!got.equals(want)) assert.fail(`${why ?? 'bytes differ'}: ${difference(got, want)}`)
  }

  /** The broker closes the connection; resolves with what it sent before (unread bytes). */
  async closed(timeoutMs = 3000): Promise<Buffer> {
    await this.#until(() => this.#ended, timeoutMs, 'the broker to close')
    const rest = this.#buf
    this.#buf = Buffer.alloc(0)
    return rest
  }

  /** The broker sends exactly `expected` (hex; '' for nothing) and then closes. */
  async expectClose(expected: Bytes = '', why?: string): Promise<void> {
    const rest = await this.closed()
    const want = bytes(expected)
    if (!rest.equals(want)) assert.fail(`${why ?? 'before the close'}: ${difference(rest, want)}`)
  }

  /** PINGREQ → PINGRESP: the connection is open and every earlier packet was handled. */
  async ping(): Promise<void> {
    this.write('c000')
    await this.expect('d000', 'PINGRESP (still connected)')
  }

  async #until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs
    while (!cond()) {
      const left = end - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}; have ${short(this.#buf)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#wake = () => { clearTimeout(timer); this.#wake = undefined; resolve() }
      })
    }
  }
}

// Packet builders for hand-made bytes (no encoder involved, so a test cannot share an encoder's bug).
export const u16 = (n: number): number[] => [n >> 8, n & 0xff]
/** A two-byte length and the bytes of a string (UTF-8), of raw bytes, or of a byte array. */
export const str = (s: string | Buffer | readonly number[]): number[] => {
  const b = typeof s === 'string' ? Buffer.from(s) : Buffer.from(s)
  return [...u16(b.length), ...b]
}
export const varint = (n: number): number[] => {
  const out: number[] = []
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b) } while (n > 0)
  return out
}
/** A packet: first byte, remaining length, body. */
export const pkt = (first: number, body: readonly number[]): Buffer => Buffer.from([first, ...varint(body.length), ...body])
/** A v5 property block: its length, then the properties. */
export const props = (list: readonly number[]): number[] => [...varint(list.length), ...list]

export interface ConnectSpec {
  name?: string; level?: number; flags?: number; keepalive?: number; properties?: number[]; id?: string | Buffer
  /** Payload after the client id (will properties/topic/payload, user name, password), raw. */
  rest?: number[]
}
/** A CONNECT (clean session, keepalive 60, id "c" by default; v5 with an empty property block). */
export function connect(o: ConnectSpec = {}): Buffer {
  const level = o.level ?? 4
  return pkt(0x10, [
    ...str(o.name ?? (level === 3 ? 'MQIsdp' : 'MQTT')), level, o.flags ?? 0x02, ...u16(o.keepalive ?? 60),
    ...(level === 5 ? props(o.properties ?? []) : []), ...str(o.id ?? 'c'), ...(o.rest ?? []),
  ])
}

/** CONNACK accepted: 3.1/3.1.1 `20 02 00 00`; v5 with the broker's defaults (Topic Alias Maximum 10, Receive Maximum 20), as mosquitto. */
export const CONNACK_OK = { 3: '20020000', 4: '20020000', 5: '200900000622000a210014' } as const
