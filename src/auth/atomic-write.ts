// Replace a file atomically: write a temp file in the same directory (so rename never crosses file
// systems, and no dependence on /tmp, mosquitto issue #2901), fsync it, rename over the target, fsync the
// directory. The file keeps its mode (and owner, when we may set it); a new file gets `newMode`.
import { randomBytes } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { MqttError } from '../core/errors.js'
import { strerror } from '../core/strerror.js'

/** `stage`: whether the temp file could not be created or the write/rename failed; `errno` is the OS error. */
export class FileWriteError extends MqttError {
  constructor(message: string, readonly stage: 'open-temp' | 'write', readonly errno: NodeJS.ErrnoException) {
    super(message, 'ERR_FILE_WRITE', { cause: errno })
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, newMode = 0o600): Promise<void> {
  const target = await fs.realpath(path).catch(() => path) // write through a symlink, not over it
  const existing = await fs.stat(target).catch(() => undefined)
  const mode = existing ? existing.mode & 0o7777 : newMode
  const dir = dirname(target)
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: fs.FileHandle
  try {
    handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  } catch (err) {
    throw new FileWriteError(`Unable to create a temporary file in ${dir}: ${strerror(err)}.`, 'open-temp', err as NodeJS.ErrnoException)
  }
  try {
    await handle.chmod(mode) // open()'s mode is filtered by the umask; the kept mode must not be
    if (existing && process.getuid?.() === 0) await handle.chown(existing.uid, existing.gid).catch(() => {})
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await fs.rename(temp, target)
  } catch (err) {
    await handle.close().catch(() => {})
    await fs.unlink(temp).catch(() => {})
    throw new FileWriteError(`Unable to write ${target}: ${strerror(err)}.`, 'write', err as NodeJS.ErrnoException)
  }
  // Make the rename itself durable; not every platform lets a directory be fsynced.
  const d = await fs.open(dir, 'r').catch(() => undefined)
  await d?.sync().catch(() => {})
  await d?.close()
}
