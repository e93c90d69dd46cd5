// Message sources for tspub/tsrr: -m, -f, -s, -n, and -l's binary-safe line splitting.
import { readFile as readFileCb } from 'node:fs'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { CommandError } from './exit-codes.js'
import type { PayloadSource } from './options/types.js'

const readFile = promisify(readFileCb) // not node:fs/promises, which a start would load for nothing (client-options.ts)

/** A payload that could not be loaded; `lines` are mosquitto's two stderr lines, printed as they are. Exit 1. */
export class InputError extends CommandError {
  constructor(readonly lines: string[]) { super(lines.join('\n'), 1, 'ERR_INPUT') }
}

export async function readPayloadFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch {
    throw new InputError([`Error: Unable to open file "${path}".`, `Error loading input file "${path}".`])
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks)
}

/** -s: all of stdin as one payload; empty stdin is an error, as in mosquitto_pub. */
export async function readStdinPayload(stdin: Readable): Promise<Buffer> {
  const data = await readAll(stdin)
  if (data.length === 0) throw new InputError(['Error: Zero length input.', 'Error loading input from stdin.'])
  return data
}

/**
 * Splits a byte stream into lines at '\n' only: '\r' is kept, an empty line is an empty message,
 * and a last line without '\n' is still sent (mosquitto_pub -l, #1904). Used by publish-window.ts.
 */
export class LineSplitter {
  #rest: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Buffer[] {
    const data = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : chunk
    const lines: Buffer[] = []
    let start = 0
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      lines.push(data.subarray(start, nl))
      start = nl + 1
    }
    this.#rest = Buffer.from(data.subarray(start))
    return lines
  }

  /** The unterminated tail, if any. */
  end(): Buffer | undefined {
    const tail = this.#rest
    this.#rest = Buffer.alloc(0)
    return tail.length > 0 ? tail : undefined
  }
}

/**
 * The payload of -m / -f / -s / -n (undefined for -l and --ndjson, whose lines are read later). tsrr sends the real file or
 * stdin for -f / -s, fixing mosquitto_rr 2.0's empty payload.
 */
export async function loadPayload(source: PayloadSource | undefined, io: { readonly stdin: Readable }): Promise<Buffer | undefined> {
  switch (source?.mode) {
    case 'message': return source.payload
    case 'file': return readPayloadFile(source.path)
    case 'stdin-file': return readStdinPayload(io.stdin) // io.stdin only here: making process.stdin costs ~1 ms
    case 'stdin-line': case 'ndjson': return undefined
    default: return Buffer.alloc(0) // -n, or no payload flag (the parser rejects that for tspub)
  }
}
