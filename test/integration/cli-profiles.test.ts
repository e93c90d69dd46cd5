// Profiles end to end: the real bin/ tools with a temporary XDG_CONFIG_HOME, a broker that checks the
// password, --print-config without a broker, and the secret grepped for in everything the tools print.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { startBroker } from '../helpers/broker-start.js'
import { freePort } from '../helpers/mosquitto.js'
import { cleanEnv, runCli, type CliResult } from '../helpers/run-cli.js'

const SECRET = 'Tr0ub4dor-secret'

/** A broker that lets alice in with SECRET only. */
async function passwordBroker(t: TestContext): Promise<number> {
  const { port } = await startBroker(t, {
    hooks: { authenticate: (c) => (c.username === 'alice' && c.password?.toString() === SECRET ? { ok: true } : { ok: false, reasonCode: 135 }) },
  })
  return port
}

/** A config dir with the shared profiles file (and, if given, tool files); the password in a file of its own. */
function configDir(shared: (pwFile: string) => string, own: Record<string, string> = {}): string {
  const xdg = mkdtempSync(join(tmpdir(), 'tsmqtt-xdg-'))
  const pwFile = join(xdg, 'prod.password')
  writeFileSync(pwFile, `${SECRET}\n`, { mode: 0o600 })
  mkdirSync(join(xdg, 'tsmqtt'))
  writeFileSync(join(xdg, 'tsmqtt', 'profiles'), shared(pwFile))
  for (const [tool, text] of Object.entries(own)) writeFileSync(join(xdg, tool), text)
  return xdg
}

function assertNoSecret(r: CliResult, what: string): void {
  assert.ok(!r.stdout.toString().includes(SECRET), `${what}: secret on stdout:\n${r.stdout}`)
  assert.ok(!r.stderr.includes(SECRET), `${what}: secret on stderr:\n${r.stderr}`)
}

test('one profile in tsmqtt/profiles serves tspub, tssub and tsrr; -d prints no password', async (t) => {
  const port = await passwordBroker(t)
  const xdg = configDir((pw) => `-h 127.0.0.1\n-p 1\n[prod]\n-p ${port}\n-u alice\n--pw-file ${pw}\n-r\n-v\n`)
  const env = cleanEnv({ XDG_CONFIG_HOME: xdg })
  const pub = await runCli('tspub', ['--profile', 'prod', '-d', '-q', '1', '-t', 'p/a', '-m', 'hello'], { env })
  assert.equal(pub.code, 0, pub.stderr)
  assertNoSecret(pub, 'tspub -d')
  assert.match(pub.stderr, /sending CONNECT/)
  const sub = await runCli('tssub', ['-d', '-t', 'p/a', '-C', '1', '-W', '5'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg, TSMQTT_PROFILE: 'prod' }) })
  assert.equal(sub.code, 0, sub.stderr)
  assert.equal(sub.stdout.toString(), 'p/a hello\n') // -v from the shared profile (tspub skipped it), the message retained by -r
  assertNoSecret(sub, 'tssub -d')
  // Nobody answers the request: tsrr connected (a refusal would exit 135) and timed out.
  const rr = await runCli('tsrr', ['--profile', 'prod', '-d', '-t', 'q', '-e', 'r', '-m', 'x', '-W', '1'], { env })
  assert.equal(rr.code, 27, rr.stderr)
  assertNoSecret(rr, 'tsrr -d')
})

test('precedence on the real tools: command line > TSMQTT_PASSWORD > profile > defaults', async (t) => {
  const port = await passwordBroker(t)
  const xdg = configDir(() => `-h 127.0.0.1\n-p ${port}\n-u alice\n-P wrong-default\n[prod]\n-P wrong-profile\n`)
  const run = (argv: string[], extra: NodeJS.ProcessEnv = {}) =>
    runCli('tspub', ['-d', '-t', 'a', '-m', 'x', ...argv], { env: cleanEnv({ XDG_CONFIG_HOME: xdg, ...extra }) })
  const refused = await run(['--profile', 'prod'])
  assert.equal(refused.code, 5, refused.stderr) // the profile's wrong password
  assert.equal((await run(['--profile', 'prod'], { TSMQTT_PASSWORD: SECRET })).code, 0) // environment over profile
  const argvWins = await run(['--profile', 'prod', '-P', 'wrong-argv'], { TSMQTT_PASSWORD: SECRET })
  assert.equal(argvWins.code, 5) // command line over environment
  for (const r of [refused, argvWins]) assertNoSecret(r, 'refused')
})

test('--print-config: exit 0 without connecting, every origin named, secrets masked', async () => {
  const closed = await freePort()
  const xdg = configDir((pw) => `-h 127.0.0.1\n[prod]\n-p ${closed}\n-u alice\n--pw-file ${pw}\n`, { tspub: `-q 1\n[prod]\n-P ${SECRET}\n` })
  const env = cleanEnv({ XDG_CONFIG_HOME: xdg, TSMQTT_PROFILE: 'prod', TSMQTT_PASSWORD: SECRET })
  const r = await runCli('tspub', ['--print-config', '-m', 'x', '-L', `mqtt://alice:${SECRET}@127.0.0.1:${closed}/t`, '--proxy', `socks5h://u:${SECRET}@127.0.0.1:1`], { env })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '')
  assertNoSecret(r, '--print-config')
  const out = r.stdout.toString()
  assert.match(out, /^# tspub --print-config: /)
  assert.ok(out.includes(`# file: ${xdg}/tsmqtt/profiles\n# file: ${xdg}/tspub\n# profile: prod (from TSMQTT_PROFILE)\n`), out)
  assert.ok(out.includes(`-u alice\n#   overridden: --pw-file ${xdg}/prod.password\n# from ${xdg}/tspub [prod]\n#   overridden: -P ********\n`), out)
  assert.ok(out.includes(`-L mqtt://alice:********@127.0.0.1:${closed}/t\n--proxy socks5h://u:********@127.0.0.1:1\n`), out)
  assert.match(out, new RegExp(`\\n# {3}broker: tcp 127\\.0\\.0\\.1:${closed} through socks5h 127\\.0\\.0\\.1:1\\n`))
})

test('an unknown profile: a usage error naming the files searched, exit 1', async () => {
  const xdg = configDir(() => '[prod]\n-p 1\n')
  for (const tool of ['tspub', 'tssub', 'tsrr']) {
    const r = await runCli(tool, ['--profile', 'staging', '-t', 'a'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) })
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `Error: Unknown profile 'staging': no [staging] section in ${xdg}/tsmqtt/profiles or ${xdg}/${tool}.\n\nUse '${tool} --help' to see usage.\n`)
  }
})

test('no secret in what -d and the errors print, wherever the password came from', async (t) => {
  const port = await passwordBroker(t)
  const closed = await freePort()
  const xdg = configDir((pw) => `[file]\n-u alice\n--pw-file ${pw}\n[plain]\n-u alice\n-P ${SECRET}\n`)
  const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ XDG_CONFIG_HOME: xdg, ...extra })
  const at = (p: number) => ['-h', '127.0.0.1', '-p', String(p)]
  const runs: Array<[string, string, string[], NodeJS.ProcessEnv?]> = [
    ['accepted, -P', 'tspub', [...at(port), '-u', 'alice', '-P', SECRET]],
    ['accepted, v5, profile --pw-file', 'tspub', [...at(port), '-V', '5', '--profile', 'file']],
    ['accepted, TSMQTT_PASSWORD', 'tspub', [...at(port), '-u', 'alice'], { TSMQTT_PASSWORD: SECRET }],
    ['accepted, -L', 'tspub', ['-L', `mqtt://alice:${SECRET}@127.0.0.1:${port}/a`]],
    ['refused, v5, -P in a profile', 'tspub', [...at(port), '-V', '5', '--profile', 'plain', '-u', 'bob']],
    ['connection refused, -L', 'tspub', ['-L', `mqtt://alice:${SECRET}@127.0.0.1:${closed}/a`]],
    ['connection refused, tssub -L', 'tssub', ['-L', `mqtt://alice:${SECRET}@127.0.0.1:${closed}/a`]],
    ['proxy refused', 'tspub', [...at(port), '--proxy', `socks5h://u:${SECRET}@127.0.0.1:${closed}`]],
    ['unsupported proxy', 'tspub', ['--proxy', `http://u:${SECRET}@127.0.0.1:${closed}`]],
    ['bad -L scheme', 'tspub', ['-L', `ftp://alice:${SECRET}@127.0.0.1/a`]],
    ['-L without a topic', 'tspub', ['-L', `mqtt://alice:${SECRET}@127.0.0.1`]],
    ['-L, a password with @', 'tspub', ['-L', `mqtt://alice:x@${SECRET}@127.0.0.1:${port}/a`]],
    ['-L, a password with /', 'tssub', ['-L', `mqtt://alice:x/${SECRET}@127.0.0.1:${port}/a`]],
    ['glued -P', 'tspub', [`-P${SECRET}`]],
    ['v3.1.1 password without user', 'tspub', [...at(port), '-P', SECRET]],
  ]
  for (const [what, tool, argv, extra] of runs) {
    const payload = tool === 'tssub' ? [] : ['-t', 'a', '-m', 'x']
    const r = await runCli(tool, ['-d', ...payload, ...argv], { env: env(extra), timeoutMs: 10_000 })
    assert.equal(r.timedOut, false, what)
    assertNoSecret(r, what)
    if (what.startsWith('accepted')) assert.equal(r.code, 0, `${what}: ${r.stderr}`)
    else assert.notEqual(r.code, 0, what)
  }
})
