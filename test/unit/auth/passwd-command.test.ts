// tspasswd in-process: argument parsing table and the password flow with an injected asker (no TTY needed).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { verifyPassword } from '../../../src/auth/hash.js'
import { entries, parsePasswordFile } from '../../../src/auth/password-file.js'
import { createPasswdCommand, parsePasswdArgs, PasswdError, ttyAsk, type Ask } from '../../../src/cli/passwd.js'
import type { Io } from '../../../src/cli/io.js'

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
  assert.equal(await createPasswdCommand({ ask }).run(['-c', '-H', 'sha512', f, 'alice'], io, signal), 0)
  assert.deepEqual(ask.prompts, ['Password: ', 'Reenter password: '])
  const stored = entries(parsePasswordFile(readFileSync(f, 'utf8'))).get('alice')!
  assert.equal(await verifyPassword('pw1', stored), true)
})

test('interactive: mismatch exits 2, empty exits 1, file untouched', async (t) => {
  const f = tmpFile(t, '# keep\n')
  const io = fakeIo()
  assert.equal(await createPasswdCommand({ ask: scripted('a', 'b') }).run([f, 'u'], io, signal), 2)
  assert.equal(io.err(), 'Error: Passwords do not match.\n')
  const io2 = fakeIo()
  assert.equal(await createPasswdCommand({ ask: scripted('') }).run([f, 'u'], io2, signal), 1)
  assert.equal(io2.err(), 'Error: Empty password.\n')
  assert.equal(readFileSync(f, 'utf8'), '# keep\n')
})

test('TSPASSWD_PASSWORD is used without prompting', async (t) => {
  const f = tmpFile(t)
  const ask = scripted()
  assert.equal(await createPasswdCommand({ ask }).run(['-c', '-H', 'sha512', f, 'ci'], fakeIo({ TSPASSWD_PASSWORD: 'from-env' }), signal), 0)
  assert.deepEqual(ask.prompts, [])
  assert.equal(await verifyPassword('from-env', entries(parsePasswordFile(readFileSync(f, 'utf8'))).get('ci')!), true)
})

test('-c - writes the new file to stdout (mosquitto 2.1)', async () => {
  const io = fakeIo()
  assert.equal(await createPasswdCommand().run(['-c', '-b', '-H', 'sha512', '-', 'u', 'p'], io, signal), 0)
  assert.match(io.out(), /^u:\$6\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==\n$/)
})

test('--help exits 0 with usage on stdout; bare usage exits 1', async () => {
  const io = fakeIo()
  assert.equal(await createPasswdCommand().run(['--help'], io, signal), 0)
  assert.match(io.out(), /^tspasswd is a tool for managing password files/)
  const io2 = fakeIo()
  assert.equal(await createPasswdCommand().run([], io2, signal), 1)
  assert.match(io2.out(), /Usage: tspasswd/)
  assert.equal(io2.err(), '')
})

test('terminal prompt (prompts, invisible): returns what was typed, never echoes it; Ctrl-C aborts', async () => {
  const stdin = new PassThrough(), stdout = new PassThrough()
  let out = ''
  stdout.on('data', (c: Buffer) => { out += c.toString() })
  const ask = ttyAsk({ stdin, stdout, stderr: stdout, env: {}, pid: 1 })
  const answer = ask('Password: ')
  stdin.write('top-')
  stdin.write('secret\r')
  assert.equal(await answer, 'top-secret')
  assert.match(out, /Password/)
  assert.doesNotMatch(out, /secret/)
  const cancelled = ask('Reenter password: ')
  stdin.write('\x03')
  await assert.rejects(cancelled, (e: unknown) => e instanceof PasswdError && e.line === 'Error: Interrupted, no changes made.')
})

test('an abort (SIGINT) while waiting for the password writes nothing and exits 1', async (t) => {
  const f = tmpFile(t, '# keep\n')
  const ac = new AbortController()
  const never: Ask = () => new Promise(() => {})
  const io = fakeIo()
  const run = createPasswdCommand({ ask: never }).run([f, 'u'], io, ac.signal)
  ac.abort()
  assert.equal(await run, 1)
  assert.equal(io.err(), 'Error: Interrupted, no changes made.\n')
  assert.equal(readFileSync(f, 'utf8'), '# keep\n')
})
