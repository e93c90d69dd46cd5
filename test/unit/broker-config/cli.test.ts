// tsbroker's argv and log lines, in-process (the spawned binary is covered by integration/tsbroker-cli).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { parseConfig } from '../../../src/broker/config/index.js'
import { UsageError } from '../../../src/core/errors.js'
import { parseBrokerArgs } from '../../../src/cli/broker-args.js'
import { createBrokerLog } from '../../../src/cli/broker-log.js'
import type { Io } from '../../../src/cli/io.js'

test('argv: -c, repeated -p (0 allowed), -v, -d, --port-file', () => {
  assert.deepEqual(parseBrokerArgs(['-c', 'm.conf', '-p', '0', '-p', '1884', '-v', '-d', '--port-file', 'pf']), {
    configFile: 'm.conf', ports: [0, 1884], verbose: true, daemon: true, portFile: 'pf', print: undefined,
  })
  assert.deepEqual(parseBrokerArgs(['--config-file', 'a', '--port', '7', '--verbose']).ports, [7])
  assert.match(parseBrokerArgs(['-h']).print!, /^Usage: tsbroker/m)
  assert.match(parseBrokerArgs(['--version']).print!, /^tsbroker version \d+\.\d+\.\d+\n$/)
  assert.match(parseBrokerArgs(['--completion', 'bash']).print!, /^# bash completion for tsbroker[^]*\ncomplete -F _tsmqtt_tsbroker tsbroker\n$/)
})

const argvErrors: ReadonlyArray<[string[], string]> = [
  [['-x'], "Unknown option '-x'."],
  [['--bogus'], "Unknown option '--bogus'."],
  [['stray'], "Unknown option 'stray'."],
  [['-p'], '-p argument given, but no port specified.'],
  [['-c'], '-c argument given, but no config file specified.'],
  [['-p', 'abc'], 'Invalid port specified (abc).'],
  [['-p', '65536'], 'Invalid port specified (65536).'],
  [['--completion'], '--completion argument given, but no shell specified.'],
  [['--completion', 'tcsh'], "Unknown shell 'tcsh' for --completion: bash, zsh or fish."],
]
for (const [argv, message] of argvErrors) {
  test(`argv error: ${argv.join(' ')}`, () => {
    assert.throws(() => parseBrokerArgs(argv), (e: unknown) => e instanceof UsageError && e.message === message)
  })
}

function io() {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const read = (s: PassThrough) => () => String(s.read() ?? '')
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {}, pid: 1 } satisfies Io, out: read(stdout), err: read(stderr) }
}

const tick = () => new Promise((r) => process.nextTick(r))

test('log lines: "<epoch seconds>: text" on stderr, default types only; -v adds debug; the lines of a turn are written together', async () => {
  const t = io()
  const log = createBrokerLog(parseConfig('', 'x'), false, t.io, () => 1_795_464_896_789)
  log.write('notice', 'tsbroker version 1 starting')
  log.write('debug', 'Received PINGREQ')
  log.write('notice', 'second')
  await tick()
  assert.equal(t.err(), '1795464896: tsbroker version 1 starting\n1795464896: second\n')
  const v = io()
  createBrokerLog(parseConfig('', 'x'), true, v.io, () => 0).write('debug', 'Received PINGREQ')
  await tick()
  assert.equal(v.err(), '0: Received PINGREQ\n')
})

test('log_timestamp false, log_type, and log_dest stdout held until the address lines are out', () => {
  const t = io()
  const log = createBrokerLog(parseConfig('log_timestamp false\nlog_type subscribe\nlog_dest stdout', 'x'), false, t.io)
  log.write('notice', 'not a subscribe line')
  log.write('subscribe', 'c 1 a/b')
  assert.equal(t.out(), '')
  t.io.stdout.write('127.0.0.1:1883\n')
  log.releaseStdout()
  log.write('subscribe', 'c 1 c/d')
  assert.equal(t.out(), '127.0.0.1:1883\nc 1 a/b\nc 1 c/d\n')
  assert.equal(t.err(), '')
})
