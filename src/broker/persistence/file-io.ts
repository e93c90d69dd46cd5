// The store's file operations, behind a small interface so tests can make writing fail (disk full,
// permissions) and work again. Appends are positioned writes followed by fdatasync; a file is replaced
// atomically (temporary file, fsync, rename, fsync of the directory).
import {
  close, closeSync, fdatasync, fsync, fsyncSync, ftruncateSync, open as openCb, openSync, readFileSync, renameSync,
  writeSync, writev,
} from 'node:fs'
import { rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { MqttError } from '../../core/errors.js'

export interface StoreFile {
  /** Bytes in the file (where the next append goes). */
  readonly size: number
  /** Write `chunks` at the end and make them durable (fdatasync). */
  append(chunks: readonly Buffer[]): Promise<void>
  close(): Promise<void>
}

export interface StoreIo {
  /** The whole file, or undefined when there is none. */
  read(path: string): Buffer | undefined
  /** Rename a damaged file out of the way (never deleted); returns its new name. */
  keepAside(path: string, suffix: string): string
  /** Open an existing file for appending after its first `validLength` bytes (a torn tail is cut off). */
  open(path: string, validLength: number): StoreFile
  /** Atomically replace (or create) the file with `chunks`, and open it for appending. */
  replace(path: string, chunks: readonly Buffer[]): Promise<StoreFile>
  replaceSync(path: string, chunks: readonly Buffer[]): StoreFile
}

export const nodeStoreIo: StoreIo = {
  read(path) {
    try {
      return readFileSync(path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
  },
  keepAside(path, suffix) {
    const aside = `${path}.${suffix}`
    renameSync(path, aside)
    syncDirSync(dirname(path))
    return aside
  },
  open(path, validLength) {
    const fd = openSync(path, 'r+')
    try {
      ftruncateSync(fd, validLength)
      fsyncSync(fd)
    } catch (e) {
      closeSync(fd)
      throw e
    }
    return new NodeStoreFile(fd, validLength)
  },
  async replace(path, chunks) {
    const tmp = `${path}.tmp-${process.pid}`
    const fd = await openAsync(tmp, 'w')
    let size = 0
    try {
      size = await writeAll(fd, chunks, 0)
      await fsyncAsync(fd)
    } finally {
      await closeAsync(fd)
    }
    await rename(tmp, path)
    await syncDir(dirname(path))
    return new NodeStoreFile(await openAsync(path, 'r+'), size)
  },
  replaceSync(path, chunks) {
    const tmp = `${path}.tmp-${process.pid}`
    const fd = openSync(tmp, 'w')
    let size = 0
    try {
      for (const c of chunks) size += writeFully(fd, c, size)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
    syncDirSync(dirname(path))
    return new NodeStoreFile(openSync(path, 'r+'), size)
  },
}

class NodeStoreFile implements StoreFile {
  #fd: number | undefined

  constructor(fd: number, private _size: number) { this.#fd = fd }

  get size(): number { return this._size }

  async append(chunks: readonly Buffer[]): Promise<void> {
    const fd = this.#fd
    if (fd === undefined) throw new MqttError('the store file is closed', 'ERR_STORE_CLOSED')
    this._size += await writeAll(fd, chunks, this._size)
    await fdatasyncAsync(fd)
  }

  async close(): Promise<void> {
    if (this.#fd === undefined) return
    const fd = this.#fd
    this.#fd = undefined
    await closeAsync(fd)
  }
}

const writevAsync = (fd: number, chunks: Buffer[], position: number) =>
  new Promise<number>((resolve, reject) => writev(fd, chunks, position, (err, n) => (err ? reject(err) : resolve(n))))
const fdatasyncAsync = promisify(fdatasync)
const fsyncAsync = promisify(fsync)
const closeAsync = promisify(close)
const openAsync = promisify(openCb)

/** Positioned writev until every byte is written (a file write may be short). Returns the bytes written. */
async function writeAll(fd: number, chunks: readonly Buffer[], position: number): Promise<number> {
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

function writeFully(fd: number, chunk: Buffer, position: number): number {
  let done = 0
  while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done, position + done)
  return done
}

async function syncDir(dir: string): Promise<void> {
  const fd = await openAsync(dir, 'r')
  try {
    await fsyncAsync(fd)
  } finally {
    await closeAsync(fd)
  }
}

function syncDirSync(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
