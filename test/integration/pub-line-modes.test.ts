// tspub --ndjson and -l --topic-separator, spawned for real against a scripted broker: what reaches the
// broker, the stderr lines with their line numbers, exit codes, --strict, reconnect and signals.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { Packet } from '../../src/codec/index.js'
import { binPath, cleanEnv, runCli } from '../helpers/run-cli.js'
import { startDroppingBroker, startFakeBroker } from '../helpers/fake-broker.js'

const conn = (port: number) => ['-h', '127.0.0.1', '-p', String(port)]
const acking = (p: Packet, send: (p: Packet) => void) => {
  if (p.cmd === 'publish' && p.qos === 1) send({ cmd: 'puback', messageId: p.messageId! })
  if (p.cmd === 'publish' && p.qos === 2) send({ cmd: 'pubrec', messageId: p.messageId! })
  if (p.cmd === 'pubrel') send({ cmd: 'pubcomp', messageId: p.messageId! })
}
const publishes = (received: Packet[]) => received.flatMap((p) => (p.cmd === 'publish' ? [p] : []))
const summary = (received: Packet[]) => publishes(received).map((p) => `${p.topic}|${Buffer.from(p.payload as Buffer).toString('latin1')}|${p.qos}|${p.retain ? 1 : 0}`)

test('--ndjson publishes each record as recorded over one connection; -t -q -r fill what a line leaves out', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const stdin = [
    '{"tst":"2026-11-23T20:15:55.810111123Z","topic":"a","qos":1,"retain":true,"dup":false,"mid":3,"payload":"text"}',
    '{"topic":"b","qos":2,"retain":false,"payload_base64":"AP+ACg=="}',
    '{"payload":""}',
    '',
    '{"topic":"c","qos":0,"payload":"last, unterminated"}',
  ].join('\n')
  const r = await runCli('tspub', [...conn(fake.port), '-q', '1', '-r', '-t', 'dflt', '--ndjson'], { stdin })
  assert.equal(r.stderr, '')
  assert.equal(r.code, 0)
  assert.deepEqual(summary(fake.received), ['a|text|1|1', 'b|\u0000\u00ff\u0080\n|2|0', 'dflt||1|1', 'c|last, unterminated|0|1'])
  assert.equal(fake.received.filter((p) => p.cmd === 'connect').length, 1)
})

test('--ndjson -V 5 sends the properties in the line\'s order, duplicate user properties included', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const line = '{"topic":"p","qos":1,"payload":"x","properties":{"message-expiry-interval":60,"content-type":"text/plain","correlation-data_base64":"AQL+","response-topic":"r/1","user-properties":[{"k":"1"},{"j":"2"},{"k":"3"}]}}\n'
  const r = await runCli('tspub', [...conn(fake.port), '-V', '5', '--ndjson'], { stdin: line })
  assert.equal(r.code, 0, r.stderr)
  const [p] = publishes(fake.received)
  assert.equal(p?.properties?.messageExpiryInterval, 60)
  assert.equal(p?.properties?.contentType, 'text/plain')
  assert.deepEqual(p?.properties?.correlationData, Buffer.from([1, 2, 0xfe]))
  assert.equal(p?.properties?.responseTopic, 'r/1')
  assert.deepEqual({ ...p?.properties?.userProperties }, { k: ['1', '3'], j: '2' })
})

test('--ndjson over MQTT 3.1.1: properties are dropped with one warning per run, the messages still go', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const line = (n: number) => `{"topic":"v3","qos":1,"payload":"${n}","properties":{"content-type":"c"}}\n`
  const r = await runCli('tspub', [...conn(fake.port), '--ndjson'], { stdin: line(1) + line(2) })
  assert.equal(r.code, 0)
  assert.equal(r.stderr, 'Warning: line 1: MQTT v5 properties are not sent over MQTT 3.1.1 (use -V 5); shown once.\n')
  assert.deepEqual(summary(fake.received), ['v3|1|1|0', 'v3|2|1|0'])
})

const MIXED = [
  '{"topic":"ok","qos":1,"payload":"1"}',
  '{"topic":"ok","qos":1,"payload":',
  '{"topic":"ok","qos":1,"payload_base64":"###"}',
  '{"topic":"ok","qos":1,"payload":"4"}',
  `{"topic":"${'x'.repeat(65536)}","qos":1,"payload":"5"}`,
  '{"topic":"ok","qos":"1","payload":"6"}',
  '{"topic":"ok","qos":1,"payload":"7"}',
].join('\n') + '\n'

test('--ndjson: each malformed line is reported with its number and skipped; exit 65', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const r = await runCli('tspub', [...conn(fake.port), '--ndjson'], { stdin: MIXED })
  assert.equal(r.stderr, [
    'Error: line 2: not valid JSON.',
    'Error: line 3: payload_base64 is not valid base64.',
    'Error: line 5: topic is longer than 65535 bytes.',
    'Error: line 6: qos must be an integer from 0 to 2.',
  ].join('\n') + '\n')
  assert.equal(r.code, 65)
  assert.deepEqual(summary(fake.received), ['ok|1|1|0', 'ok|4|1|0', 'ok|7|1|0'])
  assert.equal(fake.received.at(-1)?.cmd, 'disconnect')
})

test('--ndjson --strict stops at the first malformed line, still with a DISCONNECT; exit 65', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const r = await runCli('tspub', [...conn(fake.port), '--ndjson', '--strict'], { stdin: MIXED })
  assert.equal(r.stderr, 'Error: line 2: not valid JSON.\n')
  assert.equal(r.code, 65)
  assert.deepEqual(summary(fake.received), ['ok|1|1|0'])
  assert.equal(fake.received.at(-1)?.cmd, 'disconnect')
})

test('--ndjson: a publish a v5 broker refuses is mosquitto\'s warning, and exit 65', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => { if (p.cmd === 'publish') send({ cmd: 'puback', messageId: p.messageId!, reasonCode: 0x87 }) },
  })
  const r = await runCli('tspub', [...conn(fake.port), '-V', '5', '--ndjson'], { stdin: '{"topic":"t","qos":1,"payload":"x"}\n' })
  assert.equal(r.stderr, 'Warning: Publish 1 failed: Not authorized.\n')
  assert.equal(r.code, 65)
})

test('-l --topic-separator: topic before the first separator, payload after it; bad lines numbered, exit 65', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const stdin = 'a/1\tone\nb\t\nno separator\n\tempty topic\nc\tx\ty\r\nd/+\tw\ntail\tend'
  const r = await runCli('tspub', [...conn(fake.port), '-q', '1', '-l', '--topic-separator', '\t'], { stdin })
  assert.equal(r.stderr, "Error: line 3: no topic separator.\nError: line 4: topic is empty.\nError: line 6: topic contains '+' or '#'.\n")
  assert.equal(r.code, 65)
  assert.deepEqual(summary(fake.received), ['a/1|one|1|0', 'b||1|0', 'c|x\ty\r|1|0', 'tail|end|1|0'])
})

test('-l --topic-separator with only good lines exits 0; a multi-character separator', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0, onPacket: acking })
  const r = await runCli('tspub', [...conn(fake.port), '-q', '1', '-r', '-l', '--topic-separator', ' :: '], { stdin: 's/1 :: 21.5\ns/2 :: a :: b\n' })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(summary(fake.received), ['s/1|21.5|1|1', 's/2|a :: b|1|1'])
})

test('--ndjson reconnects when the connection drops and publishes the unacknowledged lines again, in order', async (t) => {
  const fake = await startDroppingBroker(t) // it "restarts" at the first publish
  const stdin = '{"topic":"a","qos":1,"payload":"one"}\n{"topic":"b","qos":1,"payload":"two"}\n'
  const r = await runCli('tspub', [...conn(fake.port), '--ndjson'], { stdin, timeoutMs: 8000 })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(fake.connections(), 2)
  assert.deepEqual(fake.byConnection[2], ['one', 'two'])
})

for (const mode of [['-t', 'a', '-l'], ['--ndjson'], ['-l', '--topic-separator', ' ']]) {
  test(`tspub ${mode.join(' ')}: SIGINT while stdin stays open ends with DISCONNECT and exit 0`, async (t) => {
    let published!: () => void
    const seen = new Promise<void>((r) => { published = r })
    const fake = await startFakeBroker(t, { connack: 0, onPacket: (p) => { if (p.cmd === 'publish') published() } })
    const child = spawn(process.execPath, [binPath('tspub'), ...conn(fake.port), ...mode], { env: cleanEnv(), stdio: ['pipe', 'ignore', 'ignore'] })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.stdin.write(mode[0] === '--ndjson' ? '{"topic":"a","payload":"x"}\n' : 'a x\n')
    await seen
    child.kill('SIGINT')
    assert.equal(await exited, 0)
    assert.equal(fake.received.at(-1)?.cmd, 'disconnect')
    child.stdin.destroy()
  })
}
