// Passwords asked for on a terminal, and the same commands with no terminal at all (cron, CI): what a person
// sees, and that a script never gets a prompt, an escape code or a silent failure.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { verifyPassword } from '../../src/auth/hash.js'
import { entries, parsePasswordFile } from '../../src/auth/password-file.js'
import { startBroker } from '../helpers/broker-start.js'
import { haveScript, runInPty } from '../helpers/pty.js'
import { binPath, cleanEnv, runCli } from '../helpers/run-cli.js'

const skip = haveScript || process.env.CI ? false : 'util-linux script is not installed'
/** A terminal user's environment: colour allowed (no NO_COLOR). */
const terminalEnv = () => { const e = cleanEnv(); delete e.NO_COLOR; return { ...e, TERM: 'xterm' } }
const node = (tool: string) => `'${process.execPath}' '${binPath(tool)}'`
const ESC = '\x1b'

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-tty-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

test('tspasswd -c - bob > file on a terminal: two prompts on the terminal, no echo, the file holds only the entry', { skip }, async (t) => {
  const d = workDir(t)
  const pty = runInPty(t, `${node('tspasswd')} -c -H sha512 - bob > out`, { cwd: d, env: terminalEnv() })
  await pty.waitFor('Password: ')
  pty.type('hunter2\r')
  await pty.waitFor('Reenter password: ')
  pty.type('hunter2\r')
  assert.equal(await pty.exited, 0)
  assert.equal(pty.screen(), 'Password: \r\nReenter password: \r\n')
  const out = readFileSync(join(d, 'out'), 'utf8')
  assert.match(out, /^bob:\$6\$[^\n]+\n$/)
  assert.equal(await verifyPassword('hunter2', entries(parsePasswordFile(out)).get('bob')!), true)
})

test('tspasswd on a terminal: Ctrl-C at the prompt changes nothing and exits 1', { skip }, async (t) => {
  const d = workDir(t)
  writeFileSync(join(d, 'pw'), '# keep\n')
  const pty = runInPty(t, `${node('tspasswd')} pw alice`, { cwd: d, env: terminalEnv() })
  await pty.waitFor('Password: ')
  pty.type('abc\x03')
  assert.equal(await pty.exited, 1)
  assert.equal(pty.screen(), 'Password: \r\nError: Interrupted, no changes made.\r\n')
  assert.equal(readFileSync(join(d, 'pw'), 'utf8'), '# keep\n')
})

/** A broker that lets bob in with hunter2 only, and remembers the passwords it was given. */
async function passwordBroker(t: TestContext) {
  const given: string[] = []
  const { port } = await startBroker(t, {
    hooks: { authenticate: (c) => { given.push(c.password?.toString() ?? ''); return c.username === 'bob' && c.password?.toString() === 'hunter2' ? { ok: true } : { ok: false, reasonCode: 135 } } },
  })
  return { port, given }
}

for (const [how, redirect] of [['stdin is the terminal', ''], ['stdin is not, the controlling terminal is asked', ' < /dev/null']] as const) {
  test(`tspub --pw-prompt (${how}): "Password: " and nothing else on the terminal, the password reaches the broker`, { skip }, async (t) => {
    const { port, given } = await passwordBroker(t)
    const pty = runInPty(t, `${node('tspub')} -h 127.0.0.1 -p ${port} -u bob --pw-prompt -t a -m x${redirect}`, { env: terminalEnv() })
    await pty.waitFor('Password: ')
    pty.type('hunter2\r')
    assert.equal(await pty.exited, 0, pty.screen())
    assert.equal(pty.screen(), 'Password: \r\n')
    assert.deepEqual(given, ['hunter2'])
  })
}

for (const tool of ['tspub', 'tssub', 'tsrr']) {
  test(`${tool} --pw-prompt with no terminal at all: one clear line, exit 1, no escape codes (colour allowed)`, async () => {
    const argv = ['-p', '1', '-u', 'bob', '--pw-prompt', '-t', 'a', ...(tool === 'tssub' ? [] : ['-m', 'x']), ...(tool === 'tsrr' ? ['-e', 'r'] : [])]
    const r = await runCli(tool, argv, { env: terminalEnv(), detached: true, stdin: 'something on stdin\n', timeoutMs: 15_000 })
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'Error: --pw-prompt needs a terminal to ask for the password, and there is none; use --pw-file or TSMQTT_PASSWORD.\n')
    assert.equal(r.stdout.length, 0)
  })
}

test('a coloured error on a terminal ends with its newline, with no stray escape codes after it', { skip }, async (t) => {
  const pty = runInPty(t, `${node('tspub')} -h 127.0.0.1 -p 1 -t a -m x`, { env: terminalEnv() })
  assert.equal(await pty.exited, 1)
  assert.equal(pty.screen(), `${ESC}[31mError: Connection refused${ESC}[39m\r\n`)
})

test('NO_COLOR and --no-color: the same error on a terminal, without any escape code', { skip }, async (t) => {
  for (const [env, flag] of [[{ ...terminalEnv(), NO_COLOR: '1' }, ''], [terminalEnv(), ' --no-color']] as const) {
    const pty = runInPty(t, `${node('tspub')} -h 127.0.0.1 -p 1 -t a -m x${flag}`, { env })
    assert.equal(await pty.exited, 1)
    assert.equal(pty.screen(), 'Error: Connection refused\r\n')
  }
})
