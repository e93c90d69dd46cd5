// The result of a run, as the JSON object `tsbench --json` prints (schema: docs/tsbench.md, version 1)
// and as the text summary. Pure.
import type { BenchConfig } from '../options/bench-options.js'
import { summarize, type LatencySummary } from './latency-stats.js'

export interface BenchSummary {
  schema: 'tsbench/1'
  broker: string
  protocolVersion: 3 | 4 | 5
  config: {
    publishers: number; subscribers: number; qos: 0 | 1 | 2; size: number; topic: string; subTopic: string
    retain: boolean
    /** Per publisher, msgs/s; null = as fast as possible. */
    rate: number | null
    /** Per publisher; null = until the duration ends. */
    count: number | null
    duration: number | null
    ramp: number | null
    workers: number
  }
  messages: {
    sent: number
    /** Publishes the client reported as failed (connection lost before the write or acknowledgement). */
    failed: number
    /** Deliveries the subscribers should get: each subscriber every message whose topic its filter matches. */
    expected: number
    /** Deliveries, duplicates included. */
    received: number
    unique: number
    lost: number
    duplicated: number
    /** Deliveries that were not of this run (another run's or a retained message) and were not counted. */
    foreign: number
  }
  /** Messages per second. */
  throughput: { sent: number; received: number }
  latencyMs: LatencySummary
  seconds: { connect: number; publish: number; receive: number }
  /** Connections that closed during the run (the broker or the network went away): then the exit code is 1. */
  connectionsLost: number
  /** False when a connection was lost, or messages were lost at QoS 1 or 2 or duplicated at QoS 2 (exit 9). */
  ok: boolean
}

export interface RunFacts {
  broker: string
  protocolVersion: 3 | 4 | 5
  qos: 0 | 1 | 2
  bench: BenchConfig
  sent: number
  failed: number
  expected: number
  received: number
  unique: number
  foreign: number
  latencies: Float64Array
  connectMs: number
  /** Time of the first publish, of the last publisher finishing, of the last delivery (ms). */
  firstAt: number
  lastSentAt: number
  lastDeliveryAt: number
  connectionsLost: number
}

/** Loss at QoS 1 or 2, or duplicates at QoS 2 (loss at QoS 0 is reported, not a failure). */
const messagesFailed = (qos: 0 | 1 | 2, lost: number, duplicated: number) => (qos > 0 && lost > 0) || (qos === 2 && duplicated > 0)

const perSecond = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0)

export function buildSummary(f: RunFacts): BenchSummary {
  const b = f.bench
  const lost = Math.max(0, f.expected - f.unique)
  const duplicated = f.received - f.unique
  const publishMs = Math.max(0, f.lastSentAt - f.firstAt)
  const receiveMs = f.received > 0 ? Math.max(0, f.lastDeliveryAt - f.firstAt) : 0
  return {
    schema: 'tsbench/1',
    broker: f.broker,
    protocolVersion: f.protocolVersion,
    config: {
      publishers: b.publishers, subscribers: b.subscribers, qos: f.qos, size: b.size, topic: b.topicPattern, subTopic: b.subTopic,
      retain: b.retain, rate: b.ratePerPublisher ?? null, count: b.count ?? null, duration: b.duration ?? null, ramp: b.ramp ?? null,
      workers: b.workers,
    },
    messages: { sent: f.sent, failed: f.failed, expected: f.expected, received: f.received, unique: f.unique, lost, duplicated, foreign: f.foreign },
    throughput: { sent: perSecond(f.sent, publishMs), received: perSecond(f.received, receiveMs) },
    latencyMs: summarize(f.latencies),
    seconds: { connect: f.connectMs / 1000, publish: publishMs / 1000, receive: receiveMs / 1000 },
    connectionsLost: f.connectionsLost,
    ok: f.connectionsLost === 0 && !messagesFailed(f.qos, lost, duplicated),
  }
}

const VERSION_NAMES = { 3: 'v3.1', 4: 'v3.1.1', 5: 'v5' } as const
const fixed = (n: number, digits = 2) => n.toFixed(digits)
const rate = (n: number) => `${Math.round(n)} msg/s`

export function summaryText(s: BenchSummary): string {
  const c = s.config
  const m = s.messages
  const l = s.latencyMs
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const pace = c.rate === null ? 'as fast as possible' : `${fixed(c.rate, 1)} msg/s per publisher`
  const lines = [
    `tsbench: ${plural(c.publishers, 'publisher')} -> ${plural(c.subscribers, 'subscriber')}, QoS ${c.qos}, ${c.size} bytes, MQTT ${VERSION_NAMES[s.protocolVersion]}, ${pace}, ${s.broker}`,
    `connected   ${plural(c.publishers + c.subscribers, 'connection')} in ${fixed(s.seconds.connect)} s`,
    `sent        ${m.sent} in ${fixed(s.seconds.publish)} s, ${rate(s.throughput.sent)}${m.failed ? ` (${m.failed} failed)` : ''}`,
    `received    ${m.received} of ${m.expected} expected in ${fixed(s.seconds.receive)} s, ${rate(s.throughput.received)}`,
    `lost        ${m.lost}, duplicated ${m.duplicated}${m.foreign ? `, ignored ${m.foreign} not of this run` : ''}`,
    `latency ms  p50 ${fixed(l.p50, 3)}  p95 ${fixed(l.p95, 3)}  p99 ${fixed(l.p99, 3)}  max ${fixed(l.max, 3)}  (min ${fixed(l.min, 3)}, mean ${fixed(l.mean, 3)}, ${l.count} samples)`,
  ]
  if (s.connectionsLost) lines.push(`FAILED: connection lost: ${s.connectionsLost} of ${plural(c.publishers + c.subscribers, 'connection')} closed during the run`)
  if (messagesFailed(c.qos, m.lost, m.duplicated)) lines.push(`FAILED: ${m.lost ? `${m.lost} lost` : `${m.duplicated} duplicated`} at QoS ${c.qos}`)
  return lines.join('\n') + '\n'
}
