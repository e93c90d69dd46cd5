// The spawned tools print mosquitto's argument errors byte for byte and exit 1, before any connection
// (no broker runs here: a tool that tried to connect would print a connection error instead).
// Expected texts are mosquitto 2.0.11's with the tool renamed (checked against the real binaries).
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { cleanEnv, runCli, type CliResult } from '../helpers/run-cli.js'

type Tool = 'tspub' | 'tssub' | 'tsrr'
const tail = (tool: Tool, blank: 1 | 2 = 1) => `${'\n'.repeat(blank)}Use '${tool} --help' to see usage.\n`
const err = (tool: Tool, msg: string, blank: 1 | 2 = 1) => `Error: ${msg}\n${tail(tool, blank)}`

const CASES: [Tool, string[], string][] = [
  ['tspub', ['-t', 'a', '-q', '3', '-m', 'x'], err('tspub', 'Invalid QoS given: 3')],
  ['tspub', ['-t', 'a', '-m', 'x', '-p', '70000'], err('tspub', 'Invalid port given: 70000')],
  ['tspub', ['-t', 'a', '-m', 'x', '-k', 'abc'], err('tspub', 'Invalid keepalive given, it must be between 5 and 65535 inclusive.', 2)],
  ['tspub', ['-t', 'a', '-v'], err('tspub', "Unknown option '-v'.")],
  ['tssub', ['-t', 'a', '-m', 'x'], err('tssub', "Unknown option '-m'.")],
  ['tsrr', ['-t', 'a', '-C', '1'], err('tsrr', "Unknown option '-C'.")],
  ['tspub', ['-t', 'a', '-vd'], err('tspub', "Unknown option '-vd'.")],
  ['tspub', ['-t', 'a', '-m'], err('tspub', '-m argument given but no message specified.', 2)],
  ['tspub', ['-t', 'a', '-V'], err('tspub', '--protocol-version argument given but no version specified.', 2)],
  ['tspub', ['-t', 'a/+', '-m', 'x'], err('tspub', "Invalid publish topic 'a/+', does it contain '+' or '#'?")],
  ['tssub', ['-t', 'a/#/b'], err('tssub', "Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?")],
  ['tspub', ['-t', 'a\tb', '-m', 'x'], err('tspub', 'Malformed UTF-8 in -t argument.', 2)],
  ['tspub', ['-L', 'http://h/t'], err('tspub', 'unsupported URL scheme.', 2)],
  ['tspub', ['-L', 'mqtt://host'], err('tspub', 'Invalid URL for -L argument specified - topic missing.')],
  ['tspub', ['-m', 'a', '-f', 'b'], err('tspub', 'Only one type of message can be sent at once.', 2)],
  ['tspub', ['-t', 'a', '-m', 'x', '-x', '08'], err('tspub', 'session-expiry-interval not a number.', 2)],
  ['tspub', ['-t', 'a', '-m', 'x', '-D', 'connect', 'content-type', 'x'], err('tspub', 'content-type property not allowed for connect in --property argument.', 2)],
  ['tspub', ['-t', 'a', '-m', 'x', '-D', 'connect', 'receive-maximum', '0'],
    `Error in CONNECT properties: A network protocol error occurred when communicating with the broker.\n${tail('tspub')}`],
  ['tssub', ['-t', 'a', '-D', 'subscribe', 'subscription-identifier', '268435456'], `Error adding property subscription-identifier 4\n${tail('tssub')}`],
  ['tspub', ['-t', 'a', '-m', 'x', '-c'], err('tspub', 'You must provide a client id if you are using the -c option.')],
  ['tssub', ['-t', 'a', '-V', '5', '-x', '∞'], err('tssub', 'You must provide a client id if you are using an infinite session expiry interval.')],
  ['tssub', ['-v'], err('tssub', 'You must specify a topic to subscribe to.')],
  ['tsrr', ['-t', 'a', '-m', 'x'], err('tsrr', 'All of topic, message, and response topic must be supplied.')],
  ['tssub', ['-t', 'a', '-F', '%z'], err('tssub', "Invalid format specifier 'z'.")],
  ['tssub', ['-t', 'a', '-R', '--retained-only'], "\nError: Combining '-R' and '--retained-only' makes no sense.\n"],
  ['tsrr', ['-t', 'a', '-e', 'r', '-m', 'x', '-D', 'publish', 'response-topic', 'z'], 'Error in PUBLISH properties: Duplicate response topic.\n'],
  ['tspub', ['-t', 'a', '-m', 'x', '-i', ''], 'Error: Invalid id.\n'],
  ['tssub', ['-t', 'a', '-i', ''], 'Error: Invalid id and/or clean_session.\n'],
  ['tspub', ['-t', 'a', '-m', 'x', '-P', 'secret'], 'Error: Problem setting username and/or password.\n'],
  ['tspub', ['-t', 'a', '-m', 'x', '--cafile', '/nonexistent/ca.pem'], 'Error: Problem setting TLS options: File not found.\n'],
]

/** Run at most `limit` children at once. */
async function inBatches<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += limit) out.push(...await Promise.all(items.slice(i, i + limit).map(f)))
  return out
}

describe('argument errors of the spawned tools', () => {
  it('print mosquitto\'s text on stderr, nothing on stdout, exit 1', async () => {
    const env = cleanEnv()
    const results = await inBatches(CASES, 6, ([tool, argv]) => runCli(tool, argv, { env, timeoutMs: 15_000 }))
    const wrong = CASES.map(([tool, argv, stderr], i) => ({ tool, argv, expected: stderr, got: results[i]! }))
      .filter(({ expected, got }) => got.stderr !== expected || got.code !== 1 || got.stdout.length !== 0)
      .map(({ tool, argv, expected, got }) => ({ cmd: `${tool} ${argv.join(' ')}`, expected, stderr: got.stderr, code: got.code }))
    assert.deepEqual(wrong, [])
  })

  it('tspub without a message: the error, then the synopsis, both on stderr; nothing on stdout (mosquitto: usage on stdout)', async () => {
    const r = await runCli('tspub', ['-t', 'a'], { env: cleanEnv() })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^Error: Both topic and message must be supplied\.\n\nUsage: tspub [^]*\n {7}tspub --help \| --version \| --completion shell\n$/)
    assert.ok(r.stderr.split('\n').every((l) => l.length <= 80), 'wrapped to 80 columns: stderr is not a terminal')
    assert.equal(r.stdout.length, 0)
  })

  it('errors in the options file abort the same way; argv comes after the file', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'tsmqtt-xdg-'))
    writeFileSync(join(xdg, 'tspub'), '# defaults\n-m hello\n')
    const r: CliResult = await runCli('tspub', ['-t', 'a', '-n'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) })
    assert.equal(r.code, 1)
    assert.equal(r.stderr, err('tspub', 'Only one type of message can be sent at once.', 2))
    writeFileSync(join(xdg, 'tssub'), '-q 7\n')
    const s = await runCli('tssub', ['-t', 'a'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) })
    assert.equal(s.stderr, err('tssub', 'Invalid QoS given: 7'))
  })

  it('--help and --version print on stdout and exit 0 (mosquitto exits 1)', async () => {
    const h = await runCli('tssub', ['--help'], { env: cleanEnv() })
    assert.equal(h.code, 0)
    assert.equal(h.stderr, '')
    assert.match(h.stdout.toString(), /^tssub is a simple MQTT client[^]*\n --pw-prompt : [^]*\n\nSee the tssub\(1\) manual page for more information\.\n\n$/)
    assert.ok(h.stdout.toString().split('\n').every((l) => l.length <= 80), '80 columns when stdout is not a terminal')
    const v = await runCli('tsrr', ['--version'], { env: cleanEnv() })
    assert.equal(v.code, 0)
    assert.match(v.stdout.toString(), /^tsrr version \d+\.\d+\.\d+\S* running on Node\.js v\d+\.\d+\.\d+\.\n$/)
  })
})
