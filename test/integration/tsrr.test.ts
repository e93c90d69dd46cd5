// tsrr end to end: the spawned bin against a responder written with our own client, on a real broker.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type Client } from '../../src/client/client.js'
import type { PublishPacket } from '../../src/codec/index.js'
import { freePort, mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'

interface Responder { client: Client; requests: PublishPacket[] }

/** Answers every request on `req/#` with "re:<payload>" on its Response-Topic (or `v3/resp`), echoing Correlation-Data. */
async function responder(t: TestContext, port: number, o: { decoy?: boolean; version?: 4 | 5 } = {}): Promise<Responder> {
  const client = await connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: o.version ?? 5, keepalive: 30 })
  t.after(() => client.disconnect().catch(() => client.destroy()))
  const r: Responder = { client, requests: [] }
  client.onMessage = (p) => {
    r.requests.push(p)
    const payload = Buffer.concat([Buffer.from('re:'), Buffer.from(p.payload)])
    const to = p.properties?.responseTopic ?? 'v3/resp'
    const cd = p.properties?.correlationData
    const send = () => client.publish(to, payload, { qos: 1, properties: { ...(cd ? { correlationData: Buffer.from(cd) } : {}), contentType: 'text/plain' } })
    if (o.decoy) {
      void client.publish(to, Buffer.from('not yours'), { qos: 1, properties: { correlationData: Buffer.from('other') } }).then(send)
    } else void send()
  }
  await client.subscribe([{ topic: 'req/#', qos: 1 }])
  return r
}

async function broker(t: TestContext): Promise<number | undefined> {
  const skip = mosquittoMissing()
  if (skip) { t.skip(skip); return undefined }
  return (await startMosquitto(t)).port
}

const rr = (port: number, args: string[], stdin?: string) =>
  runCli('tsrr', ['-h', '127.0.0.1', '-p', String(port), ...args], stdin !== undefined ? { stdin } : {})

test('request with Response-Topic and Correlation-Data, first response printed, exit 0', async (t) => {
  const port = await broker(t)
  if (!port) return
  const r = await responder(t, port)
  const res = await rr(port, ['-t', 'req/a', '-e', 'resp/a', '-m', 'hello', '-q', '1'])
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.toString(), 're:hello\n')
  assert.equal(res.stderr, '')
  const req = r.requests[0]!
  assert.equal(req.topic, 'req/a')
  assert.equal(req.qos, 1)
  assert.equal(req.properties?.responseTopic, 'resp/a')
  assert.match(Buffer.from(req.properties!.correlationData!).toString(), /^[0-9a-f]{16}$/)
})

test('output options: -v, -N, -F, --pretty, --json', async (t) => {
  const port = await broker(t)
  if (!port) return
  await responder(t, port)
  const base = ['-t', 'req/b', '-e', 'resp/b', '-m', 'x', '-q', '1', '-D', 'publish', 'correlation-data', 'cid']
  const cases: Array<[string[], (out: string) => void]> = [
    [['-v'], (o) => assert.equal(o, 'resp/b re:x\n')],
    [['-N'], (o) => assert.equal(o, 're:x')],
    [['-F', '%t|%p|%D|%C|%q'], (o) => assert.equal(o, 'resp/b|re:x|cid|text/plain|1\n')],
    [['-F', '%j', '--pretty'], (o) => assert.match(o, /^\{\n\t"tst":\t"[^"]+",\n\t"topic":\t"resp\/b",\n\t"qos":\t1,\n\t"retain":\t0,\n\t"payloadlen":\t4,\n\t"mid":\t1,\n\t"properties":\t\{\n\t\t"correlation-data":\t"cid",\n\t\t"content-type":\t"text\/plain"\n\t\},\n\t"payload":\t"re:x"\n\}\n$/)],
    [['--json'], (o) => {
      const j = JSON.parse(o)
      assert.deepEqual({ ...j, tst: undefined }, { tst: undefined, topic: 'resp/b', qos: 1, retain: false, dup: false, mid: 1, properties: { 'correlation-data': 'cid', 'content-type': 'text/plain' }, payload: 're:x' })
    }],
  ]
  for (const [args, check] of cases) {
    const res = await rr(port, [...base, ...args])
    assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`)
    check(res.stdout.toString())
  }
})

test('-f and -s send the real payload (mosquitto 2.1 fix)', async (t) => {
  const port = await broker(t)
  if (!port) return
  await responder(t, port)
  const file = join(mkdtempSync(join(tmpdir(), 'tsrr-')), 'req.bin')
  writeFileSync(file, 'from file')
  const f = await rr(port, ['-t', 'req/c', '-e', 'resp/c', '-f', file])
  assert.equal(f.stdout.toString(), 're:from file\n')
  const s = await rr(port, ['-t', 'req/c', '-e', 'resp/c', '-s'], 'from stdin')
  assert.equal(s.stdout.toString(), 're:from stdin\n')
  const n = await rr(port, ['-t', 'req/c', '-e', 'resp/c', '-n'])
  assert.equal(n.stdout.toString(), 're:\n')
})

test('a response with another Correlation-Data is not ours and is skipped', async (t) => {
  const port = await broker(t)
  if (!port) return
  await responder(t, port, { decoy: true })
  const res = await rr(port, ['-t', 'req/d', '-e', 'resp/d', '-m', 'm', '-q', '1', '-F', '%p %D', '-D', 'publish', 'correlation-data', 'mine'])
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.toString(), 're:m mine\n')
})

test('MQTT v3.1.1: no properties, the first message on the response topic is printed', async (t) => {
  const port = await broker(t)
  if (!port) return
  const r = await responder(t, port, { version: 4 })
  const res = await rr(port, ['-V', '311', '-t', 'req/e', '-e', 'v3/resp', '-m', 'old'])
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.toString(), 're:old\n')
  assert.equal(r.requests[0]!.properties, undefined)
})

test('-W: "Timed out" and exit 27 when nobody answers', async (t) => {
  const port = await broker(t)
  if (!port) return
  const started = Date.now()
  const res = await rr(port, ['-t', 'nobody/here', '-e', 'resp/f', '-m', 'x', '-W', '1'])
  assert.equal(res.code, 27)
  assert.equal(res.stderr, 'Timed out\n')
  assert.equal(res.stdout.length, 0)
  assert.ok(Date.now() - started >= 900)
  const quiet = await rr(port, ['-t', 'nobody/here', '-e', 'resp/f', '-m', 'x', '-W', '1', '--quiet'])
  assert.equal(quiet.code, 27)
  assert.equal(quiet.stderr, '')
})

test('-R skips a retained response', async (t) => {
  const port = await broker(t)
  if (!port) return
  const r = await responder(t, port)
  await r.client.publish('resp/g', Buffer.from('stale'), { qos: 1, retain: true })
  const plain = await rr(port, ['-t', 'nobody/g', '-e', 'resp/g', '-m', 'x', '-W', '2'])
  assert.equal(plain.stdout.toString(), 'stale\n')
  const skipping = await rr(port, ['-t', 'req/g', '-e', 'resp/g', '-m', 'x', '-R', '-W', '2'])
  assert.equal(skipping.code, 0, skipping.stderr)
  assert.equal(skipping.stdout.toString(), 're:x\n')
})

test('usage and connection errors', async (t) => {
  const missing = await runCli('tsrr', ['-t', 'req/h', '-m', 'x'])
  assert.equal(missing.code, 1)
  assert.equal(missing.stderr, "Error: All of topic, message, and response topic must be supplied.\n\nUse 'tsrr --help' to see usage.\n")
  const badFormat = await runCli('tsrr', ['-t', 'req/h', '-e', 'r', '-m', 'x', '-F', '%z'])
  assert.equal(badFormat.code, 1)
  assert.match(badFormat.stderr, /^Error: Invalid format specifier 'z'\.\n/)
  const port = await freePort()
  const refused = await rr(port, ['-t', 'req/h', '-e', 'resp/h', '-m', 'x'])
  assert.equal(refused.code, 1)
  assert.equal(refused.stderr, 'Error: Connection refused\n')
})
