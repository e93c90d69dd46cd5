// The store file open for appending. An append is one positioned write that is durable when it returns,
// and two things make it cheaper than a write + fdatasync at the end of a growing file:
// - the space ahead of the data is written with zeros beforehand, in the background, so a frame overwrites
//   blocks the file already has and its sync has no metadata to write (size, extents);
// - the file is opened O_DSYNC where the platform has it, so the write and its sync are one call (one trip
//   to libuv's thread pool instead of two) and the sync covers only the bytes written, not the zeros.
// What each bought is in bench/RESULTS.md. The zeros after the last frame are padding the reader skips
// (file-format.ts).
//
// The zeros are written and synced through a second descriptor. Linux reports a failed write-back once per
// open file: a sync of the zeros on the frames' descriptor could take an error meant for a frame, and the
// frame would count as durable.
import { close, closeSync, constants, fdatasync, openSync, writev } from 'node:fs'
import { promisify } from 'node:util'
import { MqttError } from '../../core/errors.js'

export interface StoreFile {
  /** Bytes of data in the file (where the next append goes); zeros written ahead are not counted. */
  readonly size: number
  /** Write `chunks` after the data and make them durable. Calls must not overlap. */
  append(chunks: readonly Buffer[]): Promise<void>
  /** After the append and the writing ahead under way. */
  close(): Promise<void>
}

/** Space written ahead at a time, and how little may be left before more is written. */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024
const REFILL_BELOW = PREALLOCATE_BYTES / 2
/** Zeros are written in pieces of this size, so an append waits for at most one piece on the file's lock. */
const ZEROS = Buffer.alloc(256 * 1024)

/** How a store file is opened for appending: read/write, and each write durable where the platform can. */
export const APPEND_FLAGS = constants.O_RDWR | (constants.O_DSYNC ?? 0)
const DSYNC = constants.O_DSYNC !== undefined

export class NodeStoreFile implements StoreFile {
  #fd: number | undefined
  /** The second descriptor, for the zeros. */
  #aheadFd: number
  #size: number
  /** Bytes of the file on disk (data + zeros written ahead), as far as known. */
  #allocated: number
  #ahead: Promise<void> | undefined
  #appending: Promise<void> | undefined
  /** Writing ahead failed once (a full disk): this file goes on without it. */
  #noPreallocation = false

  /** `fd` is `path` opened with APPEND_FLAGS; the file holds `size` bytes of data and nothing after them. */
  constructor(path: string, fd: number, size: number) {
    try {
      this.#aheadFd = openSync(path, 'r+')
    } catch (e) {
      closeSync(fd)
      throw e
    }
    this.#fd = fd
    this.#size = size
    this.#allocated = size
  }

  get size(): number { return this.#size }

  append(chunks: readonly Buffer[]): Promise<void> {
    const appending = this.#append(chunks)
    this.#appending = appending
    return appending
  }

  async #append(chunks: readonly Buffer[]): Promise<void> {
    const fd = this.#fd
    if (fd === undefined) throw new MqttError('the store file is closed', 'ERR_STORE_CLOSED')
    const length = chunks.reduce((n, c) => n + c.length, 0)
    if (this.#size + length > this.#allocated) await this.#ahead // never write where zeros are still being written
    this.#size += await writeAll(fd, chunks, this.#size)
    if (!DSYNC) await fdatasyncAsync(fd)
    if (this.#size > this.#allocated) this.#allocated = this.#size
    if (this.#allocated - this.#size < REFILL_BELOW && this.#ahead === undefined && !this.#noPreallocation) {
      this.#ahead = this.#writeAhead().finally(() => { this.#ahead = undefined })
    }
  }

  /** Zeros after what the file has, made durable; the appends meanwhile write before them. */
  async #writeAhead(): Promise<void> {
    const from = this.#allocated
    try {
      for (let at = from; at < from + PREALLOCATE_BYTES;) at += await writevAsync(this.#aheadFd, [ZEROS], at)
      await fdatasyncAsync(this.#aheadFd)
      this.#allocated = from + PREALLOCATE_BYTES
    } catch {
      this.#noPreallocation = true // the appends themselves will say what is wrong, if anything is
    }
  }

  async close(): Promise<void> {
    const fd = this.#fd
    if (fd === undefined) return
    this.#fd = undefined
    // No write may reach a descriptor once it is closed: its number is reused.
    await Promise.allSettled([this.#appending, this.#ahead])
    await Promise.allSettled([closeAsync(fd), closeAsync(this.#aheadFd)])
  }
}

const writevAsync = (fd: number, chunks: Buffer[], position: number) =>
  new Promise<number>((resolve, reject) => writev(fd, chunks, position, (err, n) => (err ? reject(err) : resolve(n))))
const fdatasyncAsync = promisify(fdatasync)
const closeAsync = promisify(close)

/** Positioned writev until every byte is written (a file write may be short). Returns the bytes written. */
export async function writeAll(fd: number, chunks: readonly Buffer[], position: number): Promise<number> {
  let pending = chunks.filter((c) => c.length > 0)
  let pos = position
  while (pending.length > 0) {
    const bytesWritten = await writevAsync(fd, pending, pos)
    pos += bytesWritten
    let n = bytesWritten
    while (n > 0 && pending.length > 0) {
      const first = pending[0]!
      if (n >= first.length) { n -= first.length; pending = pending.slice(1) }
      else { pending = [first.subarray(n), ...pending.slice(1)]; n = 0 }
    }
  }
  return pos - position
}
