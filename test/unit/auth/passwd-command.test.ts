// tspasswd in-process: argument parsing table and the password flow with an injected asker (no TTY needed).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { verifyPassword } from '../../../src/auth/hash.js'
import { entries, parsePasswordFile } from '../../../src/auth/password-file.js'
import { exitCodeFor } from '../../../src/cli/exit-codes.js'
import { createPasswdCommand, parsePasswdArgs, PasswdError, ttyAsk, type Ask } from '../../../src/cli/passwd.js'
import type { Io } from '../../../src/cli/io.js'
import { errorText, type Command } from '../../../src/cli/run.js'

/** What run.ts makes of the command: its exit code, an error as its stderr line. */
async function exec(cmd: Command, argv: string[], io: Io, sig: AbortSignal): Promise<number> {
  try {
    return await cmd.run(argv, io, sig)
  } catch (e) {
    io.stderr.write(errorText(cmd.name, e))
    return exitCodeFor(e)
  }
}

test('options are only read before the first positional (a later -c is a user name)', () => {
  assert.deepEqual(parsePasswdArgs(['f', '-c']), { mode: 'set', batch: false, hashType: 'argon2id', iterations: undefined, file: 'f', user: '-c', password: undefined })
})

test('-H, -I and -b are parsed; -I accepts what atoi accepts', () => {
  assert.deepEqual(parsePasswdArgs(['-H', 'sha512-pbkdf2', '-I', '12x', '-b', 'f', 'u', 'p']),
    { mode: 'set', batch: true, hashType: 'sha512-pbkdf2', iterations: 12, file: 'f', user: 'u', password: 'p' })
})

test('usage (null) for wrong positional counts and unknown options', () => {
  for (const argv of [[], ['f'], ['f', 'u', 'x'], ['-b', 'f', 'u'], ['-x', 'f', 'u']]) {
    assert.equal(parsePasswdArgs(argv), null, argv.join(' '))
  }
})

const ERRORS: ReadonlyArray<[string[], string]> = [
  [['-H'], 'Error: -H argument given but not enough other arguments.'],
  [['-I'], 'Error: -I argument given but not enough other arguments.'],
  [['-H', 'md5', 'f', 'u'], "Error: Unknown hash type 'md5'"],
  [['-I', '0', 'f', 'u'], 'Error: Number of iterations must be > 0.'],
  [['-I', 'abc', 'f', 'u'], 'Error: Number of iterations must be > 0.'],
  [['-c', '-D', 'f', 'u'], 'Error: -c and -D cannot be used together.'],
  [['-c', '-U', 'f'], 'Error: -c and -U cannot be used together.'],
  [['-D', '-U', 'f'], 'Error: -D and -U cannot be used together.'],
  [['-b', '-D', 'f', 'u'], 'Error: -b and -D cannot be used together.'],
  [['-c', '-b', 'f', 'u'], 'Error: -c argument given but password file, username, or password missing.'],
  [['-c', 'f'], 'Error: -c argument given but password file or username missing.'],
  [['-D', 'f'], 'Error: -D argument given but password file or username missing.'],
  [['-U'], 'Error: -U argument given but password file missing.'],
  [['-U', 'f', 'g'], 'Error: -U argument given but password file missing.'],
]
for (const [argv, line] of ERRORS) {
  test(`tspasswd ${argv.join(' ')} → ${line}`, () => {
    assert.throws(() => parsePasswdArgs(argv), (e: unknown) => e instanceof PasswdError && e.line === line && e.exitCode === 1)
  })
}

function fakeIo(env: NodeJS.ProcessEnv = {}, stdin = ''): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough()
  const o: Buffer[] = [], e: Buffer[] = []
  stdout.on('data', (c: Buffer) => o.push(c))
  stderr.on('data', (c: Buffer) => e.push(c))
  const input = new PassThrough()
  input.end(stdin)
  return {
    stdin: input, stdout, stderr, env, pid: 1,
    out: () => Buffer.concat(o).toString(), err: () => Buffer.concat(e).toString(),
  }
}

const scripted = (...answers: Array<string | undefined>): Ask & { prompts: string[] } => {
  const prompts: string[] = []
  return Object.assign(async (p: string) => { prompts.push(p); return answers.shift() }, { prompts })
}

function tmpFile(t: TestContext, content?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-passwd-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  const f = join(d, 'pw')
  if (content !== undefined) writeFileSync(f, content)
  return f
}

const signal = new AbortController().signal

test('interactive: asks twice, stores a hash that verifies', async (t) => {
  const f = tmpFile(t)
  const ask = scripted('pw1', 'pw1')
  const io = fakeIo()
  assert.equal(await exec(createPasswdCommand({ ask }), ['-c', '-H', 'sha512', f, 'alice'], io, signal), 0)
  assert.deepEqual(ask.prompts, ['Password: ', 'Reenter password: '])
  const stored = entries(parsePasswordFile(readFileSync(f, 'utf8'))).get('alice')!
  assert.equal(await verifyPassword('pw1', stored), true)
})

test('interactive: mismatch exits 2, empty exits 1, file untouched', async (t) => {
  const f = tmpFile(t, '# keep\n')
  const io = fakeIo()
  assert.equal(await exec(createPasswdCommand({ ask: scripted('a', 'b') }), [f, 'u'], io, signal), 2)
  assert.equal(io.err(), 'Error: Passwords do not match.\n')
  const io2 = fakeIo()
  assert.equal(await exec(createPasswdCommand({ ask: scripted('') }), [f, 'u'], io2, signal), 1)
  assert.equal(io2.err(), 'Error: Empty password.\n')
  assert.equal(readFileSync(f, 'utf8'), '# keep\n')
})

test('TSPASSWD_PASSWORD is used without prompting', async (t) => {
  const f = tmpFile(t)
  const ask = scripted()
  assert.equal(await exec(createPasswdCommand({ ask }), ['-c', '-H', 'sha512', f, 'ci'], fakeIo({ TSPASSWD_PASSWORD: 'from-env' }), signal), 0)
  assert.deepEqual(ask.prompts, [])
  assert.equal(await verifyPassword('from-env', entries(parsePasswordFile(readFileSync(f, 'utf8'))).get('ci')!), true)
})

test('-c - writes the new file to stdout (mosquitto 2.1)', async () => {
  const io = fakeIo()
  assert.equal(await exec(createPasswdCommand(), ['-c', '-b', '-H', 'sha512', '-', 'u', 'p'], io, signal), 0)
  assert.match(io.out(), /^u:\$6\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==\n$/)
})

test('--help exits 0 with the help on stdout; a command line it cannot run: the synopsis on stderr, exit 1', async () => {
  const io = fakeIo()
  assert.equal(await exec(createPasswdCommand(), ['--help'], io, signal), 0)
  assert.match(io.out(), /^tspasswd is a tool for managing password files/)
  assert.ok(io.out().split('\n').every((l) => l.length <= 80), io.out())
  const io2 = fakeIo()
  assert.equal(await exec(createPasswdCommand(), [], io2, signal), 1)
  assert.equal(io2.out(), '')
  assert.match(io2.err(), /^Usage: tspasswd [^]*\n {7}tspasswd --help \| --version \| --completion shell\n$/)
})

test('--completion bash|zsh|fish prints a script; another shell is an error', async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const io = fakeIo()
    assert.equal(await exec(createPasswdCommand(), ['--completion', shell], io, signal), 0)
    assert.match(io.out(), new RegExp(`^(#compdef tspasswd\\n)?# ${shell} completion for tspasswd`))
  }
  const io = fakeIo()
  assert.equal(await exec(createPasswdCommand(), ['--completion', 'ksh'], io, signal), 1)
  assert.equal(io.err(), "Error: Unknown shell 'ksh' for --completion: bash, zsh or fish.\n")
})

test('piped stdin: the password is read without any prompt (stdout may be the file: -c -)', async () => {
  const io = fakeIo({}, 's3cret\ns3cret\n')
  assert.equal(await exec(createPasswdCommand(), ['-c', '-H', 'sha512', '-', 'bob'], io, signal), 0)
  assert.match(io.out(), /^bob:\$6\$[^\n]+\n$/)
  assert.equal(io.err(), '')
})

test('terminal prompt: on stderr, nothing but the prompt and a newline (no echo, no escape codes); Ctrl-C aborts', async () => {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[], setRawMode(on: boolean) { this.raw.push(on) } })
  const stdout = new PassThrough(), stderr = new PassThrough()
  let out = '', err = ''
  stdout.on('data', (c: Buffer) => { out += c.toString() })
  stderr.on('data', (c: Buffer) => { err += c.toString() })
  const ask = ttyAsk({ stdin, stdout, stderr, env: {}, pid: 1 })
  const answer = ask('Password: ')
  stdin.write('top-')
  stdin.write('secrex\x7ft\r')
  assert.equal(await answer, 'top-secret')
  assert.equal(err, 'Password: \n')
  assert.equal(out, '')
  assert.deepEqual(stdin.raw, [true, false], 'raw mode (no echo) only while asking')
  const cancelled = ask('Reenter password: ')
  stdin.write('\x03')
  await assert.rejects(cancelled, (e: unknown) => e instanceof PasswdError && e.line === 'Error: Interrupted, no changes made.')
  assert.equal(err, 'Password: \nReenter password: \n')
  assert.deepEqual(stdin.raw, [true, false, true, false])
})

test('an abort (SIGINT) while waiting for the password writes nothing and exits 1', async (t) => {
  const f = tmpFile(t, '# keep\n')
  const ac = new AbortController()
  const never: Ask = () => new Promise(() => {})
  const io = fakeIo()
  const run = exec(createPasswdCommand({ ask: never }), [f, 'u'], io, ac.signal)
  ac.abort()
  assert.equal(await run, 1)
  assert.equal(io.err(), 'Error: Interrupted, no changes made.\n')
  assert.equal(readFileSync(f, 'utf8'), '# keep\n')
})
