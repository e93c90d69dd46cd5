// tsbench and tsbench --check against the real Debian mosquitto: exact counts, and what it supports.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'
import { assertBenchSchema } from '../helpers/bench-schema.js'

const skip = process.env.CI ? false : mosquittoMissing()

describe('tsbench against mosquitto', { skip }, () => {
  for (const [qos, version] of [[0, '311'], [1, '5'], [2, '311']] as const) {
    it(`QoS ${qos}, MQTT ${version}: 2 x 150 messages -> 2 subscribers, exact counts`, async (t) => {
      const m = await startMosquitto(t)
      const r = await runCli('tsbench', ['-h', '127.0.0.1', '-p', String(m.port), '--json', '-c', '2', '-S', '2', '-C', '150', '-q', String(qos), '-V', version, '-r', '1000'], { timeoutMs: 20_000 })
      assert.equal(r.code, 0, r.stderr)
      const s = JSON.parse(r.stdout.toString())
      assertBenchSchema(s)
      assert.deepEqual(s.messages, { sent: 300, failed: 0, expected: 600, received: 600, unique: 600, lost: 0, duplicated: 0, foreign: 0 })
      const l = s.latencyMs
      assert.ok(0 <= l.min && l.p50 <= l.p99 && l.p99 <= l.max && l.max < 20_000, JSON.stringify(l))
    })
  }
  it('--check: versions, QoS, retained, wildcards, $share and the v5 CONNACK limits as mosquitto announces them', async (t) => {
    const m = await startMosquitto(t, ['max_qos 1', 'max_packet_size 100000', 'max_topic_alias 7', 'max_inflight_messages 9'])
    const r = await runCli('tsbench', ['-h', '127.0.0.1', '-p', String(m.port), '--check', '--json'], { timeoutMs: 40_000 })
    assert.equal(r.code, 0, r.stderr)
    const c = JSON.parse(r.stdout.toString())
    assert.deepEqual(c.protocolVersions, { 'v3.1': { accepted: true }, 'v3.1.1': { accepted: true }, v5: { accepted: true } })
    assert.equal(c.probedWith, 5)
    assert.deepEqual(c.qos.map((q: { granted: number }) => q.granted), [0, 1, 1], 'max_qos 1 downgrades the QoS 2 subscription')
    assert.deepEqual(c.qos.map((q: { delivered: boolean }) => q.delivered), [true, true, false], 'a QoS 2 PUBLISH above max_qos is refused')
    assert.equal(c.retained, true)
    assert.deepEqual(c.wildcards, { '+': true, '#': true })
    assert.equal(c.sharedSubscriptions, true)
    assert.equal(c.connack.maximumQoS, 1)
    assert.equal(c.connack.maximumPacketSize, 100000)
    assert.equal(c.connack.topicAliasMaximum, 7)
    assert.equal(c.connack.receiveMaximum, 9)
    assert.ok(c.maxPayload.largestOk >= 32768 && c.maxPayload.largestOk < 100000, JSON.stringify(c.maxPayload))
  })
})
