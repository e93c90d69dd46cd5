// The summary: counts, throughput as mqload defines it, the ok flag (exit 9), and the JSON shape that
// docs/tsbench.md documents (schema tsbench/1).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildSummary, summaryText, type RunFacts } from '../../../src/cli/bench/summary.js'
import { parseArgs } from '../../../src/cli/options/index.js'
import { assertBenchSchema } from '../../helpers/bench-schema.js'

function facts(over: Partial<RunFacts> = {}): RunFacts {
  const r = parseArgs('bench', ['-c', '2', '-S', '3', '-C', '50'], {}, () => undefined, 1)
  assert.equal(r.kind, 'run')
  if (r.kind !== 'run') throw new Error('unreachable')
  return {
    broker: 'mqtt://localhost:1883', protocolVersion: 4, qos: 1, bench: r.config.bench!,
    sent: 100, failed: 0, expected: 300, received: 300, unique: 300, foreign: 0,
    latencies: Float64Array.of(1, 2, 3, 4), connectMs: 50, firstAt: 10_000, lastSentAt: 10_500, lastDeliveryAt: 11_000, connectionsLost: 0,
    ...over,
  }
}

describe('buildSummary', () => {
  it('no loss: lost 0, duplicated 0, ok; rates over the publish and receive windows', () => {
    const s = buildSummary(facts())
    assertBenchSchema(JSON.parse(JSON.stringify(s)))
    assert.deepEqual(s.messages, { sent: 100, failed: 0, expected: 300, received: 300, unique: 300, lost: 0, duplicated: 0, foreign: 0 })
    assert.equal(s.throughput.sent, 200) // 100 in 0.5 s
    assert.equal(s.throughput.received, 300) // 300 in 1 s
    assert.deepEqual(s.seconds, { connect: 0.05, publish: 0.5, receive: 1 })
    assert.equal(s.latencyMs.p50, 2)
    assert.equal(s.ok, true)
    assert.deepEqual(s.config, { publishers: 2, subscribers: 3, qos: 1, size: 64, topic: 'tsbench/%i', subTopic: 'tsbench/+', retain: false, rate: null, count: 50, duration: null, ramp: null, workers: 1 })
  })
  it('loss at QoS 1 is not ok; at QoS 0 it is reported but ok', () => {
    assert.equal(buildSummary(facts()).connectionsLost, 0)
    const lossy = { received: 290, unique: 290 }
    assert.equal(buildSummary(facts(lossy)).messages.lost, 10)
    assert.equal(buildSummary(facts(lossy)).ok, false)
    assert.equal(buildSummary(facts({ ...lossy, qos: 0 })).ok, true)
  })
  it('duplicates: fine at QoS 1, not at QoS 2', () => {
    const dup = { received: 305, unique: 300 }
    assert.equal(buildSummary(facts(dup)).messages.duplicated, 5)
    assert.equal(buildSummary(facts(dup)).ok, true)
    assert.equal(buildSummary(facts({ ...dup, qos: 2 })).ok, false)
  })
  it('nothing received: zero rates and latencies, not NaN', () => {
    const s = buildSummary(facts({ received: 0, unique: 0, latencies: new Float64Array(0), lastDeliveryAt: 0 }))
    assertBenchSchema(JSON.parse(JSON.stringify(s)))
    assert.equal(s.throughput.received, 0)
    assert.equal(s.messages.lost, 300)
  })
})

describe('summaryText', () => {
  it('names the scenario, the counts and the percentiles; FAILED only when not ok', () => {
    const text = summaryText(buildSummary(facts()))
    assert.match(text, /^tsbench: 2 publishers -> 3 subscribers, QoS 1, 64 bytes, MQTT v3\.1\.1, as fast as possible, mqtt:\/\/localhost:1883\n/)
    assert.match(text, /\nsent        100 in 0\.50 s, 200 msg\/s\n/)
    assert.match(text, /\nreceived    300 of 300 expected in 1\.00 s, 300 msg\/s\n/)
    assert.match(text, /\nlost        0, duplicated 0\n/)
    assert.match(text, /\nlatency ms  p50 2\.000  p95 4\.000  p99 4\.000  max 4\.000 /)
    assert.doesNotMatch(text, /FAILED/)
    assert.match(summaryText(buildSummary(facts({ received: 1, unique: 1 }))), /\nFAILED: 299 lost at QoS 1\n$/)
  })
  it('a lost connection is a failure at any QoS, said first', () => {
    const s = buildSummary(facts({ qos: 0, connectionsLost: 2, received: 200, unique: 200 }))
    assert.equal(s.connectionsLost, 2)
    assert.equal(s.ok, false)
    assert.match(summaryText(s), /\nFAILED: connection lost: 2 of 5 connections closed during the run\n$/)
    const lossToo = summaryText(buildSummary(facts({ connectionsLost: 1, received: 200, unique: 200 })))
    assert.match(lossToo, /\nFAILED: connection lost: 1 of 5 connections closed during the run\nFAILED: 100 lost at QoS 1\n$/)
  })
})
