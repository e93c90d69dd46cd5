// Differential test: the real mosquitto_sub 2.0 and our formatter print the same bytes for the same retained
// messages and the same -F strings (TZ=UTC, clock fields masked). Formats where DESIGN.md contract 1 takes a
// 2.1 fix (`%x` width, hex separators, `tst` Z, user-property arrays, NUL in %j) are unit-tested instead.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import mqtt from 'mqtt'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { runCli, cleanEnv, type CliResult } from '../helpers/run-cli.js'
import { compileFormat } from '../../src/cli/format/format-string.js'
import { formatMessage, type OutputOptions } from '../../src/cli/format/formatter.js'
import { fromPublish, type ReceivedMessage } from '../../src/cli/format/message.js'
import type { PublishPacket } from '../../src/codec/index.js'

process.env.TZ = 'UTC'

interface Pub { topic: string; payload: Buffer; qos: 0 | 1 | 2; properties?: mqtt.IClientPublishOptions['properties'] }

// General messages (binary, NUL, empty, UTF-8, v5 properties incl. user properties).
const GENERAL: Pub[] = [
  { topic: 'diff/a/text', payload: Buffer.from('hello world'), qos: 1 },
  { topic: 'diff/a/utf8', payload: Buffer.from('héllo €uro ✓'), qos: 2 },
  { topic: 'diff/a/binary', payload: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x7f, 0x80, 0x0a, 0x22]), qos: 0 },
  {
    topic: 'diff/a/props', payload: Buffer.from('{"a":1}'), qos: 1,
    properties: {
      contentType: 'application/json', responseTopic: 'reply/here', correlationData: Buffer.from('corr-42'),
      payloadFormatIndicator: true, userProperties: { k1: 'v1', k2: 'v2' },
    },
  },
  { topic: 'diff/a/longtopic/with/levels', payload: Buffer.from('x'), qos: 0, properties: { userProperties: { solo: 'only' } } },
]
// Messages whose %j/%J output 2.0.11 prints exactly as we do (no NUL bytes, no user properties).
const JSONABLE: Pub[] = [
  { topic: 'diff/j/num', payload: Buffer.from('1.50'), qos: 1 },
  { topic: 'diff/j/obj', payload: Buffer.from(' {"b": [1, 2, {"c": null}], "s": "x\\u00e9\\n", "t": true, "n": -0.1e-3} '), qos: 2 },
  { topic: 'diff/j/text', payload: Buffer.from('plain "quoted" \\ text\t/\x01\x1f'), qos: 0 },
  { topic: 'diff/j/bin', payload: Buffer.from([0x41, 0xff, 0xc3, 0x28, 0x7f]), qos: 1 },
  { topic: 'diff/j/big', payload: Buffer.from('[1e300, 123456789012345678, 0.1, 3.14159265358979, 1e-7, -0]'), qos: 1 },
  {
    topic: 'diff/j/props', payload: Buffer.from('"str"'), qos: 1,
    properties: { contentType: 'text/plain', responseTopic: 'r/t', correlationData: Buffer.from('id-7'), payloadFormatIndicator: true },
  },
]

const GENERAL_FORMATS = [
  '%t %p', '%t|%q|%r|%l|%m', '[%10t]', '[%-10t]', '[%.3t]', '[%8.2t]', '[%-8.2t]', '[%012t]',
  '[%5p]', '[%-5p]', '[%05p]', '[%-p]', '[%2p]', '[%0p]', '%x', '%X', '[%-x]', '[%5l] [%-5m] [%05l] [%-05m]',
  '%A|%5A|%05A|%-5A|', '%C|[%10C]|[%-10C]|[%.3C]|[%8.4C]', '<%D>', '%F|[%3F]|[%03F]|[%-3F]', '<%P>',
  '%R|[%10R]|[%-10R]|[%.2R]', '%S|[%4S]|[%04S]', '\\t\\v\\a\\e\\r\\\\|%%|@@', 'nul\\0byte', 'é%t€ ✓',
  'topic=%t payload=%p len=%l', '@@ @q @n @t @% @z @Z', '%I|[%30I]|[%.10I]', '%U',
]
const JSON_FORMATS = ['%j', '%J', 'x%jy%Jz', '%t %J']

function mask(b: Buffer): string {
  return b.toString('latin1')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z?[+-]\d{4}/g, '<TS>')
    .replace(/\d{9,}\.\d{9}/g, '<UNIX>')
}

async function publishAll(port: number, pubs: Pub[], retain = true): Promise<void> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0 })
  for (const p of pubs) await c.publishAsync(p.topic, p.payload, { qos: p.qos, retain, properties: p.properties })
  await c.endAsync()
}

/** Receive the retained messages the way tssub will: one ReceivedMessage per PUBLISH, in arrival order. */
async function receiveAll(port: number, filter: string, n: number): Promise<ReceivedMessage[]> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0 })
  const got: ReceivedMessage[] = []
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length}/${n} messages`)), 5000)
    c.on('message', (_t, _p, packet) => {
      got.push(fromPublish(packet as unknown as PublishPacket))
      if (got.length === n) { clearTimeout(timer); resolve() }
    })
  })
  await c.subscribeAsync(filter, { qos: 2, properties: { subscriptionIdentifier: 7 } })
  await done
  await c.endAsync()
  return got
}

function ours(msgs: ReceivedMessage[], o: OutputOptions): { out: Buffer; err: string } {
  const out: Buffer[] = []
  let err = ''
  for (const m of msgs) {
    const r = formatMessage(m, o)
    if (r.out) out.push(r.out)
    if (r.err) err += r.err + '\n'
  }
  return { out: Buffer.concat(out), err }
}

async function theirs(port: number, filter: string, n: number, extra: string[]): Promise<{ out: Buffer; err: string }> {
  const r = await runCli('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', '5', '-q', '2',
    '-D', 'subscribe', 'subscription-identifier', '7', '-t', filter, '-C', String(n), ...extra], { env: cleanEnv() })
  assert.equal(r.code, 0, `mosquitto_sub ${extra.join(' ')} failed: ${r.stderr}`)
  return { out: r.stdout, err: r.stderr }
}

async function setup(t: TestContext) {
  const skip = mosquittoMissing()
  if (skip) { t.skip(skip); return undefined }
  const logFile = join(mkdtempSync(join(tmpdir(), 'tsmqtt-difflog-')), 'broker.log')
  const broker = await startMosquitto(t, ['log_type all', `log_dest file ${logFile}`])
  await publishAll(broker.port, [...GENERAL, ...JSONABLE])
  const general = await receiveAll(broker.port, 'diff/a/#', GENERAL.length)
  const json = await receiveAll(broker.port, 'diff/j/#', JSONABLE.length)
  return { port: broker.port, general, json, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') }
}

const base: OutputOptions = { verbose: false, noEol: false, pretty: false, json: false }

test('mosquitto_sub and formatMessage print the same bytes', async (t) => {
  const s = await setup(t)
  if (!s) return
  const cases: Array<{ name: string; filter: string; msgs: ReceivedMessage[]; args: string[]; o: OutputOptions }> = []
  for (const f of GENERAL_FORMATS) cases.push({ name: `-F ${f}`, filter: 'diff/a/#', msgs: s.general, args: ['-F', f], o: { ...base, format: compileFormat(f) } })
  for (const f of JSON_FORMATS) {
    cases.push({ name: `-F ${f}`, filter: 'diff/j/#', msgs: s.json, args: ['-F', f], o: { ...base, format: compileFormat(f) } })
    cases.push({ name: `-F ${f} --pretty`, filter: 'diff/j/#', msgs: s.json, args: ['-F', f, '--pretty'], o: { ...base, pretty: true, format: compileFormat(f) } })
  }
  cases.push({ name: '-F %t -N', filter: 'diff/a/#', msgs: s.general, args: ['-F', '%t|', '-N'], o: { ...base, noEol: true, format: compileFormat('%t|') } })
  for (const [name, args, o] of [
    ['default', [], base], ['-v', ['-v'], { ...base, verbose: true }], ['-N', ['-N'], { ...base, noEol: true }],
    ['-v -N', ['-v', '-N'], { ...base, verbose: true, noEol: true }],
  ] as Array<[string, string[], OutputOptions]>) {
    cases.push({ name, filter: 'diff/a/#', msgs: s.general, args, o })
  }
  assert.ok(cases.filter((c) => c.args[0] === '-F').length >= 30)
  for (const c of cases) {
    const want = await theirs(s.port, c.filter, c.msgs.length, c.args)
    const got = ours(c.msgs, c.o)
    assert.equal(mask(got.out), mask(want.out), `stdout differs for ${c.name}`)
    assert.equal(got.err, want.err, `stderr differs for ${c.name}`)
  }
})

// An empty payload cannot be retained (it clears the topic), so empty messages are published live, once both
// subscribers are in place (mosquitto's log shows mosquitto_sub's SUBSCRIBE).
const EMPTY: Pub[] = [
  { topic: 'diff/e/one', payload: Buffer.alloc(0), qos: 1 },
  { topic: 'diff/e/two', payload: Buffer.alloc(0), qos: 0, properties: { contentType: 'c/t', responseTopic: 'r' } },
]

test('empty payloads print the same bytes', async (t) => {
  const s = await setup(t)
  if (!s) return
  const modes: Array<[string[], OutputOptions]> = [
    [[], base], [['-v'], { ...base, verbose: true }], [['-N'], { ...base, noEol: true }],
    [['-v', '-N'], { ...base, verbose: true, noEol: true }],
    [['-F', '%t|%l|%p|[%3p]|%x|%q|%m'], { ...base, format: compileFormat('%t|%l|%p|[%3p]|%x|%q|%m') }],
    [['-F', '%j'], { ...base, format: compileFormat('%j') }], [['-F', '%J'], { ...base, format: compileFormat('%J') }],
  ]
  for (const [i, [args, o]] of modes.entries()) {
    const id = `diffsub-${i}`
    const mine = receiveAll(s.port, 'diff/e/#', EMPTY.length)
    const theirsP = runCli('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(s.port), '-V', '5', '-q', '2', '-i', id,
      '-D', 'subscribe', 'subscription-identifier', '7', '-t', 'diff/e/#', '-C', String(EMPTY.length), ...args], { env: cleanEnv() })
    const deadline = Date.now() + 5000
    while (!s.log().includes(`Received SUBSCRIBE from ${id}`) || (s.log().match(/Received SUBSCRIBE from /g)?.length ?? 0) < 2 * (i + 1) + 2) {
      assert.ok(Date.now() < deadline, 'subscribers did not subscribe')
      await new Promise((r) => setTimeout(r, 20))
    }
    await publishAll(s.port, EMPTY.map((p) => ({ ...p })), false)
    const [msgs, want]: [ReceivedMessage[], CliResult] = await Promise.all([mine, theirsP])
    assert.equal(want.code, 0, want.stderr)
    const got = ours(msgs, o)
    assert.equal(mask(got.out), mask(want.stdout), `stdout differs for ${args.join(' ')}`)
    assert.equal(got.err, want.stderr, `stderr differs for ${args.join(' ')}`)
  }
})
