// The store's file operations, behind a small interface so tests can make writing fail (disk full,
// permissions) and work again. A file is replaced atomically (temporary file, fsync, rename, fsync of the
// directory); appending to it is store-file.ts.
import {
  close, closeSync, fsync, fsyncSync, ftruncateSync, open as openCb, openSync, readFileSync, renameSync, writeSync,
} from 'node:fs'
import { rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { APPEND_FLAGS, NodeStoreFile, type StoreFile, writeAll } from './store-file.js'

export type { StoreFile } from './store-file.js'

export interface StoreIo {
  /** The whole file, or undefined when there is none. */
  read(path: string): Buffer | undefined
  /** Rename a damaged file out of the way (never deleted); returns its new name. */
  keepAside(path: string, suffix: string): string
  /** Open an existing file for appending after its first `validLength` bytes (a torn tail or padding is cut off). */
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
    const fd = openSync(path, APPEND_FLAGS)
    try {
      ftruncateSync(fd, validLength)
      fsyncSync(fd)
    } catch (e) {
      closeSync(fd)
      throw e
    }
    return new NodeStoreFile(path, fd, validLength)
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
    return new NodeStoreFile(path, await openAsync(path, APPEND_FLAGS), size)
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
    return new NodeStoreFile(path, openSync(path, APPEND_FLAGS), size)
  },
}

const fsyncAsync = promisify(fsync)
const closeAsync = promisify(close)
const openAsync = promisify(openCb)

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
