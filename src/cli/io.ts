// The outside world of a command, injected so commands run in-process in tests.
import type { Readable, Writable } from 'node:stream'
import { openControllingTerminal, type Terminal } from './terminal-secret.js'

export interface Io {
  stdin: Readable & { isTTY?: boolean }
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  /** Process id, for -I (id prefix + pid). */
  pid: number
  /** The controlling terminal, for a password prompt when stdin is not one; absent or undefined: none. */
  openTerminal?: () => Terminal | undefined
}

export function processIo(): Io {
  return {
    // process.stdin is made when first read (1 ms): most runs never need it.
    get stdin() { return process.stdin },
    stdout: process.stdout, stderr: process.stderr, env: process.env, pid: process.pid,
    openTerminal: openControllingTerminal,
  }
}

/** Write and resolve once the bytes are handed to the stream (stdout is data: never lose its tail). */
export function writeAll(out: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()))
  })
}
