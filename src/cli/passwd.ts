// tspasswd: mosquitto_passwd's options, messages and exit codes (reference §7.1), writing through
// src/auth (atomic rewrite that keeps every other line). Beyond mosquitto: argon2id by default, a strong
// PBKDF2 iteration default, and the password from $TSPASSWD_PASSWORD or piped stdin instead of argv.
import { promises as fs } from 'node:fs'
import { packageVersion } from '../version.js'
import type { Readable } from 'node:stream'
import prompts from 'prompts'
import { writeFileAtomic, FileWriteError } from '../auth/atomic-write.js'
import { HASH_TYPES, hashPassword, isHashed, type HashType } from '../auth/hash.js'
import {
  deleteUser, hashPlainEntries, parsePasswordFile, serializePasswordFile, setUser, type PasswordFile,
} from '../auth/password-file.js'
import { strerror } from '../core/strerror.js'
import { writeAll, type Io } from './io.js'
import type { Command } from './run.js'

export const PASSWORD_ENV = 'TSPASSWD_PASSWORD'
const MAX_FIELD = 65535

export const USAGE = `tspasswd is a tool for managing password files for mosquitto and tsbroker.

Usage: tspasswd [-H argon2id | -H sha512-pbkdf2 | -H sha512] [-I iterations] [-c | -D] passwordfile username
       tspasswd [-H argon2id | -H sha512-pbkdf2 | -H sha512] [-I iterations] [-c] -b passwordfile username password
       tspasswd [-H …] [-I iterations] -U passwordfile
 -b : run in batch mode to allow passing passwords on the command line.
 -c : create a new password file. This will overwrite existing files. A file named - is written to stdout.
 -D : delete the username rather than adding/updating its password.
 -H : specify the hashing algorithm. Defaults to argon2id (read by mosquitto 2.1 and tsbroker).
      sha512-pbkdf2 is read by mosquitto 2.0 and later; sha512 by mosquitto 1.6 and earlier.
 -I : PBKDF2 iterations for sha512-pbkdf2 (default 210000).
 -U : update a plain text password file to use hashed passwords (hashed entries are left alone).

Without -b the password is read from $${PASSWORD_ENV} if set, else from stdin when it is not a
terminal (one line; a second line, if present, must repeat it), else prompted for.

See the tspasswd(1) man page for more information.
`

/** One line for stderr and an exit code: mosquitto_passwd's messages are not all `Error: …`. */
export class PasswdError extends Error {
  constructor(readonly line: string, readonly exitCode = 1) { super(line) }
}
const fail = (message: string, exitCode = 1) => new PasswdError(`Error: ${message}`, exitCode)

export interface PasswdArgs {
  mode: 'set' | 'create' | 'delete' | 'update'
  batch: boolean
  hashType: HashType
  iterations: number | undefined
  file: string
  user?: string
  password?: string
}

/** Parse as mosquitto_passwd does: options only before the first positional; `null` = print usage. */
export function parsePasswdArgs(argv: readonly string[]): PasswdArgs | null {
  let create = false, del = false, batch = false, update = false
  let hashType: HashType = 'argon2id'
  let iterations: number | undefined
  let i = 0
  for (; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-c') create = true
    else if (a === '-D') del = true
    else if (a === '-b') batch = true
    else if (a === '-U') update = true
    else if (a === '-H' || a === '-I') {
      const v = argv[++i]
      if (v === undefined) throw fail(`${a} argument given but not enough other arguments.`)
      if (a === '-H') {
        if (!(HASH_TYPES as readonly string[]).includes(v)) throw fail(`Unknown hash type '${v}'`)
        hashType = v as HashType
      } else {
        iterations = atoi(v)
        if (iterations < 1) throw fail('Number of iterations must be > 0.')
      }
    } else break
  }
  if (create && del) throw fail('-c and -D cannot be used together.')
  if (create && update) throw fail('-c and -U cannot be used together.')
  if (del && update) throw fail('-D and -U cannot be used together.')
  if (del && batch) throw fail('-b and -D cannot be used together.')
  const rest = argv.slice(i)
  const base = { batch, hashType, iterations }
  if (create) {
    if (rest.length < (batch ? 3 : 2)) {
      throw fail(`-c argument given but ${batch ? 'password file, username, or password' : 'password file or username'} missing.`)
    }
    return { ...base, mode: 'create', file: rest[0]!, user: rest[1]!, password: batch ? rest[2] : undefined }
  }
  if (del) {
    if (rest.length < 2) throw fail('-D argument given but password file or username missing.')
    return { ...base, mode: 'delete', file: rest[0]!, user: rest[1]! }
  }
  if (update) {
    if (rest.length !== 1) throw fail('-U argument given but password file missing.')
    return { ...base, mode: 'update', file: rest[0]! }
  }
  if (batch ? rest.length !== 3 : rest.length !== 2) return null
  return { ...base, mode: 'set', file: rest[0]!, user: rest[1]!, password: batch ? rest[2] : undefined }
}

/** C's atoi: leading blanks, optional sign, digits; anything else stops it (so `abc` is 0). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s)
  return m ? Math.max(-1, Math.min(Number(m[1]), 0x7fffffff)) : 0
}

export function checkUsername(user: string): void {
  if (user.includes(':')) throw fail("Username must not contain the ':' character.")
  if (/[\x00-\x1f\x7f]/.test(user)) throw fail('Username must not contain control characters.')
  if (user.length > MAX_FIELD) throw fail(`Username must be less than ${MAX_FIELD + 1} characters long.`)
}

function checkPassword(pw: string): void {
  if (pw.length > MAX_FIELD) throw fail(`Password must be less than ${MAX_FIELD + 1} characters long.`)
}

/** Ask for one secret; `undefined` = no more input (end of piped stdin). Throws when the user cancels. */
export type Ask = (prompt: string) => Promise<string | undefined>

/** Terminal prompt without echo, via `prompts`. Ctrl-C / Ctrl-D abort the command: nothing is written. */
export function ttyAsk(io: Io): Ask {
  return async (prompt) => {
    let cancelled = false
    const r = await prompts({
      type: 'invisible', name: 'pw', message: prompt.replace(/: $/, ''), stdin: io.stdin, stdout: io.stdout,
    }, { onCancel: () => { cancelled = true } })
    if (cancelled) throw interrupted()
    return typeof r.pw === 'string' ? r.pw : ''
  }
}

/**
 * Piped stdin, as mosquitto_passwd reads it: prompts on stdout, then one line per answer; a newline is
 * printed after a non-empty answer (a terminal would have echoed the user's Enter).
 */
export function lineAsk(io: Io): Ask & { close(): void } {
  const reader = new LineReader(io.stdin)
  const ask = async (prompt: string) => {
    await writeAll(io.stdout, prompt)
    const line = await reader.next()
    if (line) await writeAll(io.stdout, '\n')
    return line
  }
  return Object.assign(ask, { close: () => reader.close() })
}

/** Reads lines from a stream on demand, at most 64 KiB per line (the longest password mosquitto allows). */
class LineReader {
  #buf = Buffer.alloc(0)
  #ended = false
  readonly #it: AsyncIterator<Buffer | string>
  constructor(readonly stream: Readable) { this.#it = stream[Symbol.asyncIterator]() }

  async next(): Promise<string | undefined> {
    for (;;) {
      const nl = this.#buf.indexOf(0x0a)
      if (nl >= 0) {
        const line = this.#buf.subarray(0, nl)
        this.#buf = this.#buf.subarray(nl + 1)
        return line.toString('utf8').replace(/\r$/, '')
      }
      if (this.#ended || this.#buf.length > MAX_FIELD + 2) {
        if (this.#buf.length === 0) return undefined
        const line = this.#buf.toString('utf8')
        this.#buf = Buffer.alloc(0)
        this.#ended = true
        return line
      }
      const r = await this.#it.next()
      if (r.done) this.#ended = true
      else this.#buf = Buffer.concat([this.#buf, Buffer.from(r.value)])
    }
  }

  /** Done with stdin (or interrupted while a read is pending): release it so the process can exit. */
  close(): void {
    this.stream.destroy()
  }
}

const interrupted = () => fail('Interrupted, no changes made.')

/** SIGINT/SIGTERM while waiting for input: stop, write nothing (mosquitto_passwd exits 0 here; we say so and exit 1). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p
  if (signal.aborted) return Promise.reject(interrupted())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interrupted())
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** The new password: $TSPASSWD_PASSWORD, else piped stdin, else the terminal (`ask` overrides both). */
async function readPassword(io: Io, ask: Ask | undefined, signal?: AbortSignal): Promise<string> {
  const env = io.env[PASSWORD_ENV]
  if (env !== undefined) {
    if (env === '') throw fail('Empty password.')
    return env
  }
  const piped = !ask && !io.stdin.isTTY ? lineAsk(io) : undefined
  const base = ask ?? piped ?? ttyAsk(io)
  const asker: Ask = (prompt) => abortable(base(prompt), signal)
  try {
    const first = await asker('Password: ')
    if (!first) throw fail('Empty password.')
    const again = await asker('Reenter password: ')
    // Piped input may hold the password once (scripts, CI); a terminal always confirms it.
    if (again === undefined && piped) return first
    if (!again) throw fail('Empty password.')
    if (again !== first) throw fail('Passwords do not match.', 2)
    return first
  } finally {
    piped?.close()
  }
}

async function readFileText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (err) {
    throw fail(`Unable to open password file ${file}. ${strerror(err)}.`)
  }
}

async function save(file: string, f: PasswordFile, creating: boolean): Promise<void> {
  try {
    await writeFileAtomic(file, serializePasswordFile(f))
  } catch (err) {
    const e = err instanceof FileWriteError ? err.errno : err
    if (creating) throw fail(`Unable to open file ${file} for writing. ${strerror(e)}.`)
    if (err instanceof FileWriteError && err.stage === 'open-temp') throw fail(`Unable to open temporary file. ${strerror(e)}.`)
    throw new PasswdError(`Error writing password file: ${strerror(e)}`)
  }
}

export async function runPasswd(a: PasswdArgs, io: Io, ask?: Ask, signal?: AbortSignal): Promise<void> {
  if (a.user !== undefined) checkUsername(a.user)
  if (a.password !== undefined) checkPassword(a.password)
  const hash = (pw: string) => hashPassword(pw, { type: a.hashType, iterations: a.iterations })
  if (a.mode === 'update') {
    const f = parsePasswordFile(await readFileText(a.file))
    await hashPlainEntries(f, isHashed, hash)
    return save(a.file, f, false)
  }
  if (a.mode === 'delete') {
    const f = parsePasswordFile(await readFileText(a.file))
    if (!deleteUser(f, a.user!)) throw new PasswdError(`Warning: User ${a.user} not found in password file.`)
    return save(a.file, f, false)
  }
  // Like mosquitto: an existing file must be readable before we ask for a password.
  const f = a.mode === 'create' ? parsePasswordFile('') : parsePasswordFile(await readFileText(a.file))
  const password = a.password ?? await readPassword(io, ask, signal)
  checkPassword(password)
  setUser(f, a.user!, await hash(password))
  if (a.mode === 'create' && a.file === '-') return writeAll(io.stdout, serializePasswordFile(f))
  return save(a.file, f, a.mode === 'create')
}

/** The tspasswd command; `ask` replaces the terminal prompt (tests, embedding). */
export function createPasswdCommand(deps: { ask?: Ask } = {}): Command {
  return {
    name: 'tspasswd',
    async run(argv, io, signal) {
      if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '--version')) {
        // Deviation from mosquitto (exit 1): asking for help is not an error (DESIGN contract 2).
        await writeAll(io.stdout, argv[0] === '--help' ? USAGE : `tspasswd version ${packageVersion()}\n`)
        return 0
      }
      try {
        const args = parsePasswdArgs(argv)
        if (!args) {
          await writeAll(io.stdout, USAGE)
          return 1
        }
        await runPasswd(args, io, deps.ask, signal)
        return 0
      } catch (err) {
        if (!(err instanceof PasswdError)) throw err
        io.stderr.write(err.line + '\n')
        return err.exitCode
      }
    },
  }
}

export const passwdCommand = createPasswdCommand()
