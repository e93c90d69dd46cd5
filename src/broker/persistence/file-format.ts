// The store file: a 16-byte header ("TSMQTTDB", format version) and then frames. A frame is one group
// commit: [magic][body length][CRC-32 of body] + body (records). A crash can tear only the last frame;
// reading tells a torn tail (nothing valid after the first bad frame: cut it off) from damage in the
// middle (a valid frame follows a bad one: the file is kept aside and the broker starts with what came
// before it). Zeros after the last frame are padding written ahead of the data (store-file.ts), not damage.
import { crc32 } from 'node:zlib'
import { MqttError } from '../../core/errors.js'

const MAGIC = Buffer.from('TSMQTTDB', 'latin1')
export const FORMAT_VERSION = 1
export const HEADER_SIZE = 16
const FRAME_MAGIC = 0x74734652 // "tsFR"
const FRAME_HEADER = 12
/** mosquitto's own persistence file starts with these bytes. */
const MOSQUITTO_MAGIC = Buffer.from([0x00, 0xb5, 0x00, ...Buffer.from('mosquitto db', 'latin1')])

/** The file is not ours to read or replace (another program's, or a newer tsbroker's). */
export class PersistenceError extends MqttError {
  constructor(message: string) { super(message, 'ERR_PERSISTENCE') }
}

export function fileHeader(): Buffer {
  const h = Buffer.alloc(HEADER_SIZE)
  MAGIC.copy(h, 0)
  h.writeUInt32LE(FORMAT_VERSION, 8)
  return h
}

/** The header of a frame holding `body` (written together with it, header first). */
export function frameHeader(body: Buffer): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER)
  h.writeUInt32LE(FRAME_MAGIC, 0)
  h.writeUInt32LE(body.length, 4)
  h.writeUInt32LE(crc32(body), 8)
  return h
}

/**
 * ok: every frame valid (zeros may follow the last one: `end` is where they start). torn: the last frame is
 * incomplete or damaged and nothing valid follows (cut the file at `end`). corrupt: a damaged frame at `end`
 * is followed by valid ones (keep the file aside).
 * unreadable: no header of ours, and not a partly written one (keep the file aside).
 * `frames`: what `parse` made of each valid frame before `end`.
 */
export interface Scan<T> { readonly kind: 'ok' | 'torn' | 'corrupt' | 'unreadable'; readonly frames: T[]; readonly end: number }

/**
 * Read a whole store file. `parse(body)` returns undefined for a frame whose CRC is right but whose
 * records are not (it counts as damaged). Throws PersistenceError for a mosquitto file or a newer format.
 */
export function scanFile<T>(file: Buffer, parse: (body: Buffer) => T | undefined): Scan<T> {
  if (file.length < HEADER_SIZE) {
    // Empty, or a header cut short while the file was created: nothing was ever acknowledged from it.
    if (fileHeader().subarray(0, file.length).equals(file)) return { kind: 'torn', frames: [], end: 0 }
    return { kind: 'unreadable', frames: [], end: 0 }
  }
  if (file.subarray(0, MOSQUITTO_MAGIC.length).equals(MOSQUITTO_MAGIC)) {
    throw new PersistenceError('it is a mosquitto persistence file, which tsbroker cannot read; point persistence_file elsewhere')
  }
  if (!file.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'unreadable', frames: [], end: 0 }
  const version = file.readUInt32LE(8)
  if (version > FORMAT_VERSION) throw new PersistenceError(`it was written by a newer tsbroker (format ${version}; this one reads ${FORMAT_VERSION})`)
  const frames: T[] = []
  let pos = HEADER_SIZE
  while (pos < file.length) {
    const frame = frameAt(file, pos, parse)
    if (frame === undefined) {
      if (zerosFrom(file, pos)) return { kind: 'ok', frames, end: pos }
      return { kind: validFrameAfter(file, pos + 1, parse) ? 'corrupt' : 'torn', frames, end: pos }
    }
    frames.push(frame.value)
    pos = frame.next
  }
  return { kind: 'ok', frames, end: pos }
}

function frameAt<T>(file: Buffer, pos: number, parse: (body: Buffer) => T | undefined): { value: T; next: number } | undefined {
  if (pos + FRAME_HEADER > file.length || file.readUInt32LE(pos) !== FRAME_MAGIC) return undefined
  const length = file.readUInt32LE(pos + 4)
  if (length === 0) return undefined // never written (a frame holds records): a header torn inside the zeros after the data
  const start = pos + FRAME_HEADER
  if (start + length > file.length) return undefined
  const body = file.subarray(start, start + length)
  if (crc32(body) !== file.readUInt32LE(pos + 8)) return undefined
  const value = parse(body)
  return value === undefined ? undefined : { value, next: start + length }
}

function zerosFrom(file: Buffer, pos: number): boolean {
  for (let i = pos; i < file.length; i++) if (file[i] !== 0) return false
  return true
}

/** Is there any whole, valid frame starting at or after `from`? (Only asked about damaged files.) */
function validFrameAfter<T>(file: Buffer, from: number, parse: (body: Buffer) => T | undefined): boolean {
  const magic = Buffer.allocUnsafe(4)
  magic.writeUInt32LE(FRAME_MAGIC, 0)
  for (let at = file.indexOf(magic, from); at >= 0; at = file.indexOf(magic, at + 1)) {
    if (frameAt(file, at, parse) !== undefined) return true
  }
  return false
}
