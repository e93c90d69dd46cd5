// The outside world of a command, injected so commands run in-process in tests.
import type { Readable, Writable } from 'node:stream'

export interface Io {
  stdin: Readable & { isTTY?: boolean }
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  /** Process id, for -I (id prefix + pid). */
  pid: number
}

export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, pid: process.pid }
}

/** Write and resolve once the bytes are handed to the stream (stdout is data: never lose its tail). */
export function writeAll(out: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()))
  })
}
