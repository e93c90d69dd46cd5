// The files tsbroker writes for scripts and init systems (pid_file, --port-file): written atomically, and
// removed again on a clean shutdown or a failed start, so nothing is left behind.
import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ConfigError } from '../broker/config/index.js'
import { strerror } from '../core/strerror.js'

export class BrokerFiles {
  readonly #written: string[] = []

  /** Write `text` to `path` (temp file in the same directory, then rename: a reader never sees half a port). */
  write(path: string, text: string, what: string): void {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
    try {
      writeFileSync(tmp, text)
      renameSync(tmp, path)
    } catch (err) {
      try { unlinkSync(tmp) } catch { /* already gone */ }
      throw new ConfigError(`Unable to write ${what} "${path}": ${strerror(err)}.`)
    }
    this.#written.push(path)
  }

  /** Best effort: after `user` dropped root, a pid file in a root-owned directory may not be removable (as in mosquitto). */
  removeAll(): void {
    for (const p of this.#written.splice(0)) {
      try { rmSync(p, { force: true }) } catch { /* not ours to remove any more */ }
    }
  }
}
