// The primitives of the store's record format: unsigned varints (LEB128, up to 2^53), float64 times,
// length-prefixed bytes and UTF-8 strings. Writer grows one buffer; Reader throws RecordError past the end.
import { MqttError } from '../../core/errors.js'

export class RecordError extends MqttError {
  constructor(message: string) { super(message, 'ERR_STORE_RECORD') }
}

export class Writer {
  #buf: Buffer
  #pos = 0

  constructor(initial = 4096) { this.#buf = Buffer.allocUnsafe(initial) }

  get length(): number { return this.#pos }

  /** The bytes written so far (a copy-free view, valid until the next write). */
  view(): Buffer { return this.#buf.subarray(0, this.#pos) }

  /** Hand over the bytes written and start again empty. */
  take(): Buffer {
    const out = Buffer.from(this.#buf.subarray(0, this.#pos))
    this.#pos = 0
    if (this.#buf.length > 1 << 20) this.#buf = Buffer.allocUnsafe(4096) // do not keep a large buffer around
    return out
  }

  u8(v: number): void {
    this.#room(1)
    this.#buf[this.#pos++] = v
  }

  uint(v: number): void {
    this.#room(8)
    let n = v
    while (n >= 0x80) {
      this.#buf[this.#pos++] = (n % 0x80) | 0x80
      n = Math.floor(n / 0x80)
    }
    this.#buf[this.#pos++] = n
  }

  f64(v: number): void {
    this.#room(8)
    this.#buf.writeDoubleLE(v, this.#pos)
    this.#pos += 8
  }

  bytes(b: Uint8Array): void {
    this.uint(b.length)
    this.#room(b.length)
    this.#buf.set(b, this.#pos)
    this.#pos += b.length
  }

  str(s: string): void {
    const n = Buffer.byteLength(s)
    this.uint(n)
    this.#room(n)
    this.#pos += this.#buf.write(s, this.#pos, 'utf8')
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.#pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.#buf.copy(next, 0, 0, this.#pos)
    this.#buf = next
  }
}

export class Reader {
  pos = 0
  constructor(private readonly buf: Buffer, private readonly end = buf.length) {}

  get done(): boolean { return this.pos >= this.end }

  u8(): number {
    if (this.pos >= this.end) throw new RecordError('record ends early')
    return this.buf[this.pos++]!
  }

  uint(): number {
    let v = 0
    for (let shift = 1; ; shift *= 0x80) {
      const b = this.u8()
      v += (b & 0x7f) * shift
      if ((b & 0x80) === 0) return v
      if (shift > 2 ** 46) throw new RecordError('varint too long')
    }
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new RecordError('record ends early')
    const v = this.buf.readDoubleLE(this.pos)
    this.pos += 8
    return v
  }

  bytes(): Buffer {
    const n = this.uint()
    if (this.pos + n > this.end) throw new RecordError('record ends early')
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n)) // own copy: the file buffer is dropped after loading
    this.pos += n
    return b
  }

  str(): string {
    const n = this.uint()
    if (this.pos + n > this.end) throw new RecordError('record ends early')
    const s = this.buf.toString('utf8', this.pos, this.pos + n)
    this.pos += n
    return s
  }
}
