// The real mosquitto with `max_packet_size 2000`: its v5 CONNACK's Maximum Packet Size is honoured, so a larger
// message is refused by the client and never sent [MQTT-3.2.2-15] (v5): no DISCONNECT 0x95, no resend loop.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from '../../src/client/client.js'
import { PacketTooLargeError } from '../../src/core/errors.js'
import { runCli } from '../helpers/run-cli.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'

const skip = mosquittoMissing()
const big = 'x'.repeat(5000)

test('library: the limit comes from the CONNACK, an oversize publish rejects, the connection stays up', { skip }, async (t) => {
  const m = await startMosquitto(t, ['max_packet_size 2000'])
  const client = await connect(`mqtt://127.0.0.1:${m.port}`, { protocolVersion: 5 })
  t.after(() => client.destroy())
  assert.equal(client.connack?.properties?.maximumPacketSize, 2000)
  await assert.rejects(client.publish('t', big, { qos: 1 }), PacketTooLargeError)
  assert.ok((await client.publish('t', 'fits', { qos: 1 })).reasonCode < 0x80) // 0x10: no matching subscribers
  assert.equal(client.connected, true)
  await client.disconnect()
  assert.doesNotMatch(m.log(), /oversize/)
})

test('tspub --ndjson -q 1 and -m: the big message is refused with its line number, the others arrive; exits 65 and 25', { skip }, async (t) => {
  const m = await startMosquitto(t, ['max_packet_size 2000'])
  const sub = await connect(`mqtt://127.0.0.1:${m.port}`, { protocolVersion: 5 })
  t.after(() => sub.destroy())
  await sub.subscribe([{ topic: 'r/#', qos: 1 }])
  const got: string[] = []
  const ended = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the subscriber saw only: ${got.join(', ')}`)), 5000)
    sub.onMessage = (p) => {
      got.push(`${p.topic}=${Buffer.from(p.payload as Buffer).toString()}`)
      if (p.topic === 'r/end') { clearTimeout(timer); resolve() }
    }
  })
  const stdin = ['{"topic":"r/a","payload":"one"}', `{"topic":"r/b","payload":"${big}"}`, '{"topic":"r/c","payload":"three"}', ''].join('\n')
  const conn = ['-h', '127.0.0.1', '-p', String(m.port), '-V', '5']
  const r = await runCli('tspub', [...conn, '-q', '1', '--ndjson'], { stdin })
  assert.equal(r.timedOut, false)
  assert.equal(r.stderr, 'Error: line 2: Packet larger than supported by the server (5011 bytes, maximum 2000).\n')
  assert.equal(r.code, 65)
  const one = await runCli('tspub', [...conn, '-q', '1', '-t', 'r/d', '-m', big])
  assert.equal(one.stderr, 'Error: Packet larger than supported by the server.\n')
  assert.equal(one.code, 25)
  // A last message marks the end of what the subscriber can get (mosquitto keeps order on one subscription).
  await runCli('tspub', [...conn, '-q', '1', '-t', 'r/end', '-m', 'end'])
  await ended
  assert.deepEqual(got, ['r/a=one', 'r/c=three', 'r/end=end'])
  assert.doesNotMatch(m.log(), /oversize/)
})
