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
    // Node makes process.stdin, stdout and stderr when first read (a stream and its tty or fs module each):
    // a one-publish tspub never needs stdin, and stdout only to print something.
    get stdin() { return process.stdin },
    get stdout() { return process.stdout },
    get stderr() { return process.stderr },
    env: process.env, pid: process.pid,
    openTerminal: openControllingTerminal,
  }
}

/** Write and resolve once the bytes are handed to the stream (stdout is data: never lose its tail). */
export function writeAll(out: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()))
  })
}
