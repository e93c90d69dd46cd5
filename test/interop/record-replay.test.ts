// Record and replay, end to end, against tsbroker and the real mosquitto: every kind of message is published
// (by mosquitto_pub, and one by the library for binary correlation data), recorded with `tssub --json`, and
// replayed with `tspub --ndjson`; mosquitto_sub -F shows the original and the replayed stream, byte for byte.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { connect } from '../../src/client/client.js'
import { binPath, cleanEnv, runCli } from '../helpers/run-cli.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

const skip = mosquittoMissing()
const files = mkdtempSync(join(tmpdir(), 'tsmqtt-replay-'))
const binary = join(files, 'binary.bin')
writeFileSync(binary, Buffer.from([0, 1, 2, 10, 13, 255, 254, 0x80, 0]))

/** Topic, QoS, retain, payload in hex, then every v5 property mosquitto_sub can show. */
const FORMAT = 'M|%t|%q|%r|%x|C=%C|D=%D|E=%E|F=%F|R=%R|P=%P'

/** Every kind of message, as mosquitto_pub argv (no -h/-p); `{T}` is the run's topic prefix. */
const ORIGINALS: string[][] = [
  ['-q', '1', '-t', '{T}/binary', '-f', binary],
  ['-t', '{T}/empty', '-n'],
  ['-q', '2', '-t', '{T}/ütf-8/日本', '-m', 'héllo 日本 🎉 "quoted" \\ tab\t'],
  ['-q', '1', '-r', '-t', '{T}/retained', '-m', 'kept'],
  ['-q', '2', '-t', '{T}/qos2', '-m', 'two'],
  ['-V', '5', '-q', '1', '-t', '{T}/props', '-m', '{"json":true}',
    '-D', 'publish', 'user-property', 'k', '1', '-D', 'publish', 'user-property', 'j', '2',
    '-D', 'publish', 'user-property', 'k', '3', '-D', 'publish', 'content-type', 'application/json',
    '-D', 'publish', 'correlation-data', 'req-42', '-D', 'publish', 'message-expiry-interval', '86400',
    '-D', 'publish', 'response-topic', '{T}/reply', '-D', 'publish', 'payload-format-indicator', '1'],
]
const COUNT = ORIGINALS.length + 1 // and the library's binary correlation data

/** Spawn a subscriber with -d and resolve once it printed SUBACK (bounded); `exited` gives its stdout. */
async function subscriber(t: TestContext, tool: string, argv: string[]) {
  const ours = !tool.startsWith('mosquitto')
  // mosquitto_sub's stdout is block-buffered into a pipe: stdbuf makes its -d lines arrive as they are printed.
  const [cmd, args] = ours ? [process.execPath, [binPath(tool), '-d', ...argv]] : ['stdbuf', ['-oL', tool, '-d', ...argv]]
  const child = spawn(cmd, args, { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const out: Buffer[] = []
  let debug = ''
  const exited = new Promise<Buffer>((resolve) => child.on('close', () => resolve(Buffer.concat(out))))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${tool}: no SUBACK within 5 s: ${debug}`)), 5000)
    const look = (c: Buffer) => { debug += c.toString('latin1'); if (debug.includes('SUBACK')) { clearTimeout(timer); resolve() } }
    child.stdout.on('data', (c: Buffer) => { out.push(c); look(c) })
    child.stderr.on('data', look)
  })
  return { exited, kill: () => child.kill('SIGKILL') }
}

/** mosquitto_sub's -F lines (its -d lines share stdout). */
const formatted = (stdout: Buffer) => {
  const lines: Buffer[] = []
  let at = 0
  for (let nl = stdout.indexOf(10); nl !== -1; at = nl + 1, nl = stdout.indexOf(10, at)) {
    const line = stdout.subarray(at, nl)
    if (line.subarray(0, 2).toString() === 'M|') lines.push(line)
  }
  return lines
}

async function roundTrip(t: TestContext, port: number, prefix: string): Promise<void> {
  const conn = ['-h', '127.0.0.1', '-p', String(port)]
  const sub = [...conn, '-V', '5', '-q', '2', '--retain-as-published', '-t', `${prefix}/#`, '-C', String(COUNT)]
  const original = await subscriber(t, 'mosquitto_sub', [...sub, '-F', FORMAT])
  const recorder = await subscriber(t, 'tssub', [...sub, '--json'])
  for (const argv of ORIGINALS) {
    const r = await runCli('mosquitto_pub', [...conn, ...argv.map((a) => a.replaceAll('{T}', prefix))])
    assert.equal(r.code, 0, r.stderr)
  }
  const lib = await connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5 })
  await lib.publish(`${prefix}/corr-binary`, Buffer.from([0xff, 0xfe]), { qos: 1, properties: { correlationData: Buffer.from([0, 0xff, 0x80]) } })
  await lib.disconnect()
  const seen = formatted(await original.exited)
  const recording = await recorder.exited
  assert.equal(seen.length, COUNT)
  assert.equal(recording.toString().trimEnd().split('\n').length, COUNT)

  // The retained message would come back at the next SUBSCRIBE: clear it, so the replay is the only source.
  assert.equal((await runCli('mosquitto_pub', [...conn, '-r', '-n', '-t', `${prefix}/retained`])).code, 0)
  const replayed = await subscriber(t, 'mosquitto_sub', [...sub, '-F', FORMAT])
  const r = await runCli('tspub', [...conn, '-V', '5', '--ndjson'], { stdin: recording })
  assert.equal(r.stderr, '')
  assert.equal(r.code, 0)
  // Up to -M messages are in flight: a broker may pass a QoS 2 message on at PUBREL, after later QoS 1 ones
  // (MQTT orders messages per topic and QoS [MQTT-4.6.0-6]; each topic here has one). Same bytes, as a set.
  const sorted = (lines: Buffer[]) => [...lines].sort(Buffer.compare)
  const again = formatted(await replayed.exited)
  assert.deepEqual(sorted(again).map((l) => l.toString('latin1')), sorted(seen).map((l) => l.toString('latin1')))
  assert.ok(Buffer.concat(sorted(again)).equals(Buffer.concat(sorted(seen))), 'byte for byte')
  assert.ok(seen.some((l) => l.includes('P=k:1 j:2 k:3')), 'duplicate user properties in order')
}

test('record with tssub --json, replay with tspub --ndjson: tsbroker', { skip }, async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  await roundTrip(t, b.port, 'rt-ts')
})

test('record with tssub --json, replay with tspub --ndjson: mosquitto', { skip }, async (t) => {
  const m = await startMosquitto(t)
  await roundTrip(t, m.port, 'rt-mosq')
})

test('replay timing: the recorded gaps, scaled by --replay-speed, against mosquitto', { skip }, async (t) => {
  const m = await startMosquitto(t)
  const lines = [0, 400, 800].map((ms, i) => JSON.stringify({ tst: new Date(1_000_000 + ms).toISOString(), topic: 'timed', qos: 1, payload: String(i) })).join('\n') + '\n'
  const started = Date.now()
  const r = await runCli('tspub', ['-h', '127.0.0.1', '-p', String(m.port), '--ndjson', '--replay-speed', '2'], { stdin: lines })
  const took = Date.now() - started
  assert.equal(r.code, 0, r.stderr)
  assert.ok(took >= 400, `800 ms of recording at speed 2 took ${took} ms`)
})
