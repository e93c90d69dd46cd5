// tspasswd: mosquitto_passwd's options, messages and exit codes (reference §7.1), writing through
// src/auth (atomic rewrite that keeps every other line). Beyond mosquitto: argon2id by default, a strong
// PBKDF2 iteration default, and the password from $TSPASSWD_PASSWORD or piped stdin instead of argv.
import { promises as fs } from 'node:fs'
import { packageVersion } from '../version.js'
import type { Readable } from 'node:stream'
import { writeFileAtomic, FileWriteError } from '../auth/atomic-write.js'
import { HASH_TYPES, hashPassword, isHashed, type HashType } from '../auth/hash.js'
import {
  deleteUser, hashPlainEntries, parsePasswordFile, serializePasswordFile, setUser, type PasswordFile,
} from '../auth/password-file.js'
import { strerror } from '../core/strerror.js'
import { completionScript, isShell, unknownShell } from './completion/index.js'
import { CommandError } from './exit-codes.js'
import { outputWidth } from './help-layout.js'
import { processIo, writeAll, type Io } from './io.js'
import { PASSWORD_ENV, passwdCompletionSpec, passwdHelp, passwdUsage } from './passwd-help.js'
import { runCommand, type Command } from './run.js'
import { secretReader } from './terminal-secret.js'

const MAX_FIELD = 65535

/** One line for stderr and an exit code: mosquitto_passwd's messages are not all `Error: …`. */
export class PasswdError extends CommandError {
  constructor(line: string, exitCode = 1) { super(line, exitCode, 'ERR_PASSWD') }
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

/**
 * stdin is a terminal: the prompt on stderr (never stdout, which may be the password file: `-c -`), the
 * answer read without echo. Ctrl-C aborts the command (nothing is written); Ctrl-D ends the input.
 */
export function ttyAsk(io: Io, signal?: AbortSignal): Ask {
  const reader = secretReader({ input: io.stdin, output: io.stderr })
  return async (prompt) => {
    const answer = await reader.ask(prompt, signal) // an abort ends the read itself: raw mode is switched off
    if (answer.kind === 'interrupt') throw interrupted()
    return answer.kind === 'line' ? answer.text : undefined
  }
}

/**
 * Piped stdin (scripts, CI): one line per answer and no prompt at all, as the shell's `read -p` does when its
 * input is not a terminal; mosquitto_passwd prints its prompts on stdout, into `-c -`'s output.
 */
export function lineAsk(io: Io): Ask & { close(): void } {
  const reader = new LineReader(io.stdin)
  return Object.assign(() => reader.next(), { close: () => reader.close() })
}

/** Reads lines from a stream on demand, at most 64 KiB per line (the longest password mosquitto allows). */
class LineReader {
  #buf = Buffer.alloc(0)
  #ended = false
  #closed = false
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
      let r: IteratorResult<Buffer | string>
      try {
        r = await this.#it.next()
      } catch (err) {
        if (this.#closed) return undefined // close() while a read was pending: the stream ends early, by our hand
        throw err
      }
      if (r.done) this.#ended = true
      else this.#buf = Buffer.concat([this.#buf, Buffer.from(r.value)])
    }
  }

  /** Done with stdin (or interrupted while a read is pending): release it so the process can exit. */
  close(): void {
    this.#closed = true
    this.stream.destroy()
  }
}

const interrupted = () => fail('Interrupted, no changes made.')

/** SIGINT/SIGTERM while waiting for input: stop, write nothing (mosquitto_passwd exits 0 here; we say so and exit 1). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p
  if (signal.aborted) {
    p.catch(() => {}) // its outcome no longer matters
    return Promise.reject(interrupted())
  }
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
  const base = ask ?? piped ?? ttyAsk(io, signal)
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

/** The tspasswd command; `ask` replaces the terminal prompt (tests, embedding). Errors go to run.ts. */
export function createPasswdCommand(deps: { ask?: Ask } = {}): Command {
  return {
    name: 'tspasswd',
    async run(argv, io, signal) {
      const info = infoText(argv, io)
      if (info !== undefined) {
        await writeAll(io.stdout, info)
        return 0
      }
      const args = parsePasswdArgs(argv)
      // A command line we cannot run: the synopsis, on stderr (stdout may be a file the caller keeps).
      if (!args) throw new PasswdError(passwdUsage(outputWidth(io.stderr)).trimEnd())
      await runPasswd(args, io, deps.ask, signal)
      return 0
    },
  }
}

/**
 * --help, --version and --completion, each given alone (options are only read before the first positional).
 * Deviation from mosquitto (exit 1): asking for help is not an error (DESIGN contract 2).
 */
function infoText(argv: readonly string[], io: Io): string | undefined {
  if (argv.length === 1 && argv[0] === '--help') return passwdHelp(outputWidth(io.stdout))
  if (argv.length === 1 && argv[0] === '--version') return `tspasswd version ${packageVersion()}\n`
  if (argv[0] !== '--completion' || argv.length > 2) return undefined
  const shell = argv[1]
  if (shell === undefined) throw fail('--completion argument given but no shell specified.')
  if (!isShell(shell)) throw fail(unknownShell(shell))
  return completionScript(passwdCompletionSpec(), shell)
}

export const passwdCommand = createPasswdCommand()

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(passwdCommand, argv, io)
}
