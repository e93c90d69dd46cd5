// tspasswd as a spawned program: every mosquitto_passwd error line and exit code, passwords through piped
// stdin (no prompts there), the environment variable, and what ends up on disk (mode, kept lines, no temp
// files left). The terminal prompts are in terminal-prompts.test.ts.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyPassword } from '../../src/auth/hash.js'
import { entries, parsePasswordFile } from '../../src/auth/password-file.js'
import { execFileSync, spawn } from 'node:child_process'
import { open } from 'node:fs/promises'
import { binPath, cleanEnv, runCli } from '../helpers/run-cli.js'

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-tspasswd-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}
const passwd = (argv: string[], cwd: string, stdin = '', env: NodeJS.ProcessEnv = {}) =>
  runCli('tspasswd', argv, { cwd, stdin, env: cleanEnv(env), timeoutMs: 15_000 })
const users = (file: string) => entries(parsePasswordFile(readFileSync(file, 'utf8')))

const ERRORS: ReadonlyArray<[argv: string[], stderr: string]> = [
  [['-H'], 'Error: -H argument given but not enough other arguments.'],
  [['-I'], 'Error: -I argument given but not enough other arguments.'],
  [['-H', 'foo', 'f', 'u'], "Error: Unknown hash type 'foo'"],
  [['-I', '0', 'f', 'u'], 'Error: Number of iterations must be > 0.'],
  [['-c', '-D', 'f', 'u'], 'Error: -c and -D cannot be used together.'],
  [['-c', '-U', 'f'], 'Error: -c and -U cannot be used together.'],
  [['-D', '-U', 'f'], 'Error: -D and -U cannot be used together.'],
  [['-b', '-D', 'f', 'u'], 'Error: -b and -D cannot be used together.'],
  [['-c', '-b', 'f', 'u'], 'Error: -c argument given but password file, username, or password missing.'],
  [['-c', 'f'], 'Error: -c argument given but password file or username missing.'],
  [['-D', 'f'], 'Error: -D argument given but password file or username missing.'],
  [['-U'], 'Error: -U argument given but password file missing.'],
  [['-c', '-b', 'f', 'a:b', 'p'], "Error: Username must not contain the ':' character."],
  [['-c', '-b', 'f', 'a\tb', 'p'], 'Error: Username must not contain control characters.'],
  [['-c', '-b', 'f', 'x'.repeat(65536), 'p'], 'Error: Username must be less than 65536 characters long.'],
  [['-c', '-b', 'f', 'u', 'p'.repeat(65536)], 'Error: Password must be less than 65536 characters long.'],
  [['-D', 'missing', 'u'], 'Error: Unable to open password file missing. No such file or directory.'],
  [['-U', 'missing'], 'Error: Unable to open password file missing. No such file or directory.'],
  [['-b', 'missing', 'u', 'p'], 'Error: Unable to open password file missing. No such file or directory.'],
  [['-c', '-b', 'no/such/dir/f', 'u', 'p'], 'Error: Unable to open file no/such/dir/f for writing. No such file or directory.'],
]
for (const [argv, stderr] of ERRORS) {
  test(`tspasswd ${argv.join(' ').slice(0, 60)} exits 1: ${stderr.slice(0, 60)}`, async (t) => {
    const r = await passwd(argv, workDir(t))
    assert.equal(r.stderr, stderr + '\n')
    assert.equal(r.code, 1)
    assert.equal(r.stdout.length, 0)
  })
}

for (const argv of [[], ['f'], ['f', 'u', 'extra'], ['-b', 'f', 'u'], ['-x', 'f', 'u']]) {
  test(`tspasswd ${argv.join(' ') || '(no args)'} prints its synopsis on stderr and exits 1 (mosquitto: usage on stdout)`, async (t) => {
    const r = await passwd(argv, workDir(t))
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^Usage: tspasswd [^]*\n {7}tspasswd --help \| --version \| --completion shell\n$/)
    assert.equal(r.stdout.length, 0)
  })
}

test('--help exits 0 (deviation: help is not an error)', async (t) => {
  const r = await passwd(['--help'], workDir(t))
  assert.equal(r.code, 0)
  assert.match(r.stdout.toString(), /TSPASSWD_PASSWORD/)
})

test('piped stdin: no prompts (mosquitto_passwd prints them on stdout), two equal lines create the user, new file is 0600', async (t) => {
  const d = workDir(t)
  const r = await passwd(['-c', '-H', 'sha512', 'pw', 'alice'], d, 's3cret\ns3cret\n')
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.length, 0)
  assert.equal(r.stderr, '')
  assert.equal(statSync(join(d, 'pw')).mode & 0o777, 0o600)
  assert.equal(await verifyPassword('s3cret', users(join(d, 'pw')).get('alice')!), true)
})

test('piped stdin: one line is enough (CI), no confirmation needed', async (t) => {
  const d = workDir(t)
  const r = await passwd(['-c', '-H', 'sha512', 'pw', 'ci'], d, 'only-once\n')
  assert.equal(r.code, 0, r.stderr)
  assert.equal(await verifyPassword('only-once', users(join(d, 'pw')).get('ci')!), true)
})

test('piped stdin: mismatch exits 2, empty password exits 1, the file is unchanged', async (t) => {
  const d = workDir(t)
  writeFileSync(join(d, 'pw'), '# keep me\n')
  const r = await passwd(['pw', 'u'], d, 'a\nb\n')
  assert.equal(r.code, 2)
  assert.equal(r.stderr, 'Error: Passwords do not match.\n')
  assert.equal(r.stdout.length, 0)
  for (const stdin of ['', '\n', 'a\n\n']) {
    const e = await passwd(['pw', 'u'], d, stdin)
    assert.equal(e.code, 1)
    assert.equal(e.stderr, 'Error: Empty password.\n')
  }
  assert.equal(readFileSync(join(d, 'pw'), 'utf8'), '# keep me\n')
})

test('TSPASSWD_PASSWORD: no prompt, no stdin read, password never in argv', async (t) => {
  const d = workDir(t)
  const r = await passwd(['-c', '-H', 'sha512-pbkdf2', '-I', '1000', 'pw', 'bot'], d, '', { TSPASSWD_PASSWORD: 'env-secret' })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.length, 0)
  const h = users(join(d, 'pw')).get('bot')!
  assert.match(h, /^\$7\$1000\$[A-Za-z0-9+/]{16}\$/)
  assert.equal(await verifyPassword('env-secret', h), true)
})

test('update keeps comments, blank and unknown lines, positions and the file mode; no temp file left', async (t) => {
  const d = workDir(t)
  const file = join(d, 'pw')
  const before = '# admins\nalice:$6$old\n\nnot an entry\n# bots\nbob:$6$bob\n'
  writeFileSync(file, before)
  chmodSync(file, 0o640)
  assert.equal((await passwd(['-b', '-H', 'sha512', 'pw', 'alice', 'new'], d)).code, 0)
  assert.equal((await passwd(['-b', '-H', 'sha512', 'pw', 'carol', 'c'], d)).code, 0)
  const lines = readFileSync(file, 'utf8').split('\n')
  assert.deepEqual([lines[0], lines[2], lines[3], lines[4], lines[5]], ['# admins', '', 'not an entry', '# bots', 'bob:$6$bob'])
  assert.match(lines[1]!, /^alice:\$6\$/)
  assert.match(lines[6]!, /^carol:\$6\$/)
  assert.equal(await verifyPassword('new', users(file).get('alice')!), true)
  assert.equal(statSync(file).mode & 0o777, 0o640)
  assert.deepEqual(readdirSync(d), ['pw'])
})

test('-D removes the user only; unknown user: warning, exit 1', async (t) => {
  const d = workDir(t)
  writeFileSync(join(d, 'pw'), '# c\nalice:$6$a\nbob:$6$b\n')
  assert.equal((await passwd(['-D', 'pw', 'alice'], d)).code, 0)
  assert.equal(readFileSync(join(d, 'pw'), 'utf8'), '# c\nbob:$6$b\n')
  const r = await passwd(['-D', 'pw', 'nobody'], d)
  assert.equal(r.code, 1)
  assert.equal(r.stderr, 'Warning: User nobody not found in password file.\n')
})

test('-U hashes plain-text entries and never re-hashes hashed ones', async (t) => {
  const d = workDir(t)
  const hashed = '$6$AAECAwQFBgcICQoL$9adGnvXbm0yY3NRbGOh93Sh6RlEQLWVTN8azzdKn9qLsAisk4YqJ5OyrOqbOkJxjY0YEq5DqRYWUQZgdzzbbpQ=='
  writeFileSync(join(d, 'pw'), `# plain\nalice:plain-a\nbob:${hashed}\n`)
  assert.equal((await passwd(['-U', '-H', 'sha512', 'pw'], d)).code, 0)
  const after = readFileSync(join(d, 'pw'), 'utf8')
  assert.ok(after.startsWith('# plain\nalice:$6$'))
  assert.ok(after.endsWith(`\nbob:${hashed}\n`))
  assert.equal(await verifyPassword('plain-a', users(join(d, 'pw')).get('alice')!), true)
  assert.equal((await passwd(['-U', 'pw'], d)).code, 0)
  assert.equal(readFileSync(join(d, 'pw'), 'utf8'), after) // second -U: nothing left to hash
})

test('a symlinked password file stays a symlink; its target is rewritten', async (t) => {
  const d = workDir(t)
  writeFileSync(join(d, 'real'), 'a:$6$x\n')
  symlinkSync('real', join(d, 'link'))
  assert.equal((await passwd(['-b', '-H', 'sha512', 'link', 'b', 'p'], d)).code, 0)
  assert.match(readFileSync(join(d, 'real'), 'utf8'), /^a:\$6\$x\nb:\$6\$/)
  assert.equal(readdirSync(d).sort().join(','), 'link,real')
})

test('SIGINT while waiting on an open stdin: nothing written, exit 1, the process does not hang', async (t) => {
  const d = workDir(t)
  // Piped stdin shows no prompt to wait for. The password file is a FIFO instead: our open() for writing
  // returns once tspasswd opens it to read, which it does after its signal handlers are in place.
  const fifo = join(d, 'pw')
  execFileSync('mkfifo', [fifo])
  const child = spawn(process.execPath, [binPath('tspasswd'), 'pw', 'u'], { cwd: d, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  t.after(() => { clearTimeout(killer); if (child.exitCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const w = await open(fifo, 'w')
  await w.writeFile('# keep\n')
  await w.close()
  child.kill('SIGINT')
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  assert.equal(code, 1)
  assert.equal(stderr, 'Error: Interrupted, no changes made.\n')
  assert.ok(lstatSync(fifo).isFIFO(), 'the password file was not replaced')
})

test('echo pw | tspasswd -c - bob > file: the file holds the entry and nothing else', async (t) => {
  const r = await passwd(['-c', '-H', 'sha512', '-', 'bob'], workDir(t), 'pw\n')
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout.toString(), /^bob:\$6\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==\n$/)
  assert.equal(r.stderr, '')
})
