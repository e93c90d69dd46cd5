// tspub, tsrr and tssub against a scripted v5 broker whose CONNACK sets a Maximum Packet Size of 100: a larger packet is never
// sent [MQTT-3.2.2-15] (v5). -m: one error line, exit 25; line modes: the line is skipped with its number.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Packet } from '../../src/codec/index.js'
import { runCli } from '../helpers/run-cli.js'
import { startFakeBroker } from '../helpers/fake-broker.js'

const big = 'x'.repeat(500)
const acking = (p: Packet, send: (p: Packet) => void) => {
  if (p.cmd === 'publish' && p.qos === 1) send({ cmd: 'puback', messageId: p.messageId! })
}
const limited = (t: Parameters<typeof startFakeBroker>[0]) => startFakeBroker(t, { connack: 0, connackProperties: { maximumPacketSize: 100 }, onPacket: acking })
const args = (port: number, ...rest: string[]) => ['-h', '127.0.0.1', '-p', String(port), '-V', '5', ...rest]
const payloads = (received: Packet[]) => received.flatMap((p) => (p.cmd === 'publish' ? [Buffer.from(p.payload as Buffer).toString()] : []))
const cmds = (received: Packet[]) => received.map((p) => p.cmd)

test('-m over the maximum packet size: nothing published, one error line, DISCONNECT, exit 25 [MQTT-3.2.2-15]', async (t) => {
  for (const qos of ['0', '1']) {
    const fake = await limited(t)
    const r = await runCli('tspub', args(fake.port, '-q', qos, '-t', 't', '-m', big, '--repeat', '3'))
    assert.equal(r.stderr, 'Error: Packet larger than supported by the server.\n')
    assert.equal(r.code, 25)
    assert.deepEqual(cmds(fake.received), ['connect', 'disconnect'], `QoS ${qos}`)
  }
})

test('--ndjson -q 1: the line too large is numbered and skipped, the others published over one connection; exit 65', async (t) => {
  const fake = await limited(t)
  const stdin = ['{"topic":"a","payload":"one"}', `{"topic":"b","payload":"${big}"}`, '{"topic":"c","payload":"three"}', ''].join('\n')
  const r = await runCli('tspub', args(fake.port, '-q', '1', '--ndjson'), { stdin })
  assert.equal(r.stderr, 'Error: line 2: Packet larger than supported by the server (509 bytes, maximum 100).\n')
  assert.equal(r.code, 65)
  assert.deepEqual(payloads(fake.received), ['one', 'three'])
  assert.equal(fake.received.filter((p) => p.cmd === 'connect').length, 1)
})

test('-l --topic-separator at QoS 0 is exit 65; plain -l goes on and exits 25 (mosquitto_pub -l\'s code)', async (t) => {
  const sep = await limited(t)
  const r = await runCli('tspub', args(sep.port, '-l', '--topic-separator', ' '), { stdin: `t a\nt ${big}\nt b\n` })
  assert.equal(r.stderr, 'Error: line 2: Packet larger than supported by the server (507 bytes, maximum 100).\n')
  assert.equal(r.code, 65)
  assert.deepEqual(payloads(sep.received), ['a', 'b'])
  const plain = await limited(t)
  const l = await runCli('tspub', args(plain.port, '-l', '-t', 't'), { stdin: `a\n${big}\nb\n` })
  assert.equal(l.stderr, 'Error: line 2: Packet larger than supported by the server (507 bytes, maximum 100).\n')
  assert.equal(l.code, 25)
  assert.deepEqual(payloads(plain.received), ['a', 'b'])
})

test('tsrr: a request over the maximum packet size is never sent; one error line, DISCONNECT, exit 25 (not a wait for a response that cannot come)', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0, connackProperties: { maximumPacketSize: 100 },
    onPacket: (p, send) => { if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: [0] }) },
  })
  const r = await runCli('tsrr', ['-h', '127.0.0.1', '-p', String(fake.port), '-t', 'req', '-e', 'resp', '-m', big], { timeoutMs: 5000 })
  assert.equal(r.stderr, 'Error: Packet larger than supported by the server.\n')
  assert.equal(r.code, 25)
  assert.deepEqual(cmds(fake.received), ['connect', 'subscribe', 'disconnect'])
})

test('tssub: a SUBSCRIBE over the maximum packet size is never sent; one error line, DISCONNECT, exit 25 [MQTT-3.1.2-24] (v5)', async (t) => {
  const fake = await limited(t)
  const r = await runCli('tssub', args(fake.port, '-t', 'a'.repeat(200)), { timeoutMs: 5000 })
  assert.equal(r.stderr, 'Error: Packet larger than supported by the server.\n')
  assert.equal(r.code, 25)
  assert.deepEqual(cmds(fake.received), ['connect', 'disconnect'])
})

test('tssub: topics that fit are subscribed as usual under the same limit', async (t) => {
  const fake = await startFakeBroker(t, {
    connack: 0, connackProperties: { maximumPacketSize: 100 },
    onPacket: (p, send) => {
      if (p.cmd === 'subscribe') {
        send({ cmd: 'suback', messageId: p.messageId!, granted: [0] })
        send({ cmd: 'publish', topic: 'a', payload: Buffer.from('hello'), qos: 0, retain: false, dup: false })
      }
    },
  })
  const r = await runCli('tssub', args(fake.port, '-t', 'a', '-C', '1'), { timeoutMs: 5000 })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.toString(), 'hello\n')
})
