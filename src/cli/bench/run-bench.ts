// One benchmark run: split the connections over shards (this thread, or worker threads), open them with
// the ramp, publish from every publisher at once, wait for the deliveries, then merge the counts into the
// summary. Subscribers are subscribed before the first publish, so each one must see every message.
import { randomInt } from 'node:crypto'
import type { ClientOptions } from '../../client/client.js'
import type { Endpoint } from '../../core/endpoint.js'
import type { BenchConfig } from '../options/bench-options.js'
import { topicFor } from '../options/bench-options.js'
import type { ClientConfig } from '../options/types.js'
import { brokerUrl } from './broker-url.js'
import { LatencySamples } from './latency-stats.js'
import type { BenchClock } from './publish-loop.js'
import { expectedFor } from './receive-tracker.js'
import { Shard, shardProperties, type ShardPlan } from './shard.js'
import { buildSummary, type BenchSummary } from './summary.js'
import { WorkerShard, type RemotePlan, type ShardHandle } from './worker-shard.js'

export interface RunInputs {
  config: ClientConfig
  /** The config a worker rebuilds its connection options from (password already resolved). */
  workerConfig: ClientConfig
  endpoint: Endpoint
  options: ClientOptions
  clock: BenchClock
  signal: AbortSignal
  /** Called about once a second while publishing and draining (the live line). */
  onProgress?: (sent: number, received: number, elapsedMs: number) => void
}

/** Unacknowledged QoS 0 writes per publisher when unpaced: enough to keep the socket full. */
const QOS0_WINDOW = 512

/**
 * Which shard runs which connections. With two or more workers and both kinds of connection, receiving and
 * publishing get workers of their own (half each, round robin within), so a busy publisher never delays
 * the reading of a subscriber's socket (and so the latency it measures); the lone-worker case runs all.
 */
export function shardPlans(c: ClientConfig, b: BenchConfig, run: number, prefix: string): RemotePlan[] {
  const shards = Math.max(1, Math.min(b.workers, b.publishers + b.subscribers))
  const window = c.qos === 0 ? QOS0_WINDOW : Math.max(1, c.maxInflight)
  const split = shards >= 2 && b.publishers > 0 && b.subscribers > 0
  const subShards = split ? Math.min(b.subscribers, Math.max(1, Math.floor(shards / 2))) : shards
  const pubShards = split ? Math.min(b.publishers, shards - subShards) : shards
  const subShardOf = (j: number) => j % subShards
  const pubShardOf = (i: number) => (split ? subShards : 0) + (i % pubShards)
  const used = split ? subShards + pubShards : shards
  return Array.from({ length: used }, (_, k) => ({
    run, clientIdPrefix: prefix, qos: c.qos, retain: b.retain, size: b.size, topicPattern: b.topicPattern, subTopic: b.subTopic,
    subscribers: range(b.subscribers).filter((j) => subShardOf(j) === k),
    publishers: range(b.publishers).filter((i) => pubShardOf(i) === k),
    totalSubscribers: b.subscribers, window,
    ...(b.ramp !== undefined ? { ramp: b.ramp } : {}),
    ...(b.ratePerPublisher !== undefined ? { rate: b.ratePerPublisher } : {}),
    ...(b.count !== undefined ? { count: b.count } : {}),
    ...(b.duration !== undefined ? { duration: b.duration } : {}),
  }))
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

export async function runBench(r: RunInputs): Promise<BenchSummary> {
  const c = r.config
  const b = c.bench!
  const run = randomInt(0, 0xffffffff)
  const prefix = c.clientId !== '' ? `${c.clientId}-` : `tsbench-${run.toString(16)}-`
  const plans = shardPlans(c, b, run, prefix)
  const shards: ShardHandle[] = plans.length === 1
    ? [new Shard({ ...plans[0]!, endpoint: r.endpoint, options: r.options, properties: shardProperties(c) } satisfies ShardPlan, r.clock)]
    : plans.map((p) => new WorkerShard(p, r.workerConfig))
  const onAbort = () => { for (const s of shards) s.stop() }
  r.signal.addEventListener('abort', onAbort, { once: true })
  const t0 = r.clock.now()
  let ticker: NodeJS.Timeout | undefined
  try {
    await Promise.all(shards.map((s) => s.connect(t0)))
    const connectMs = r.clock.now() - t0
    // A moment for every worker to get the message, so all publishers start together.
    const startAt = r.clock.now() + (shards.length > 1 ? 20 : 0)
    if (r.onProgress) {
      const progress = r.onProgress
      ticker = setInterval(() => {
        const p = shards.map((s) => s.progress()).reduce((a, x) => ({ sent: a.sent + x.sent, received: a.received + x.received }), { sent: 0, received: 0 })
        progress(p.sent, p.received, r.clock.now() - startAt)
      }, 1000)
    }
    const published = await Promise.all(shards.map((s) => s.publish(startAt)))
    const sentBy: number[] = range(b.publishers).map(() => 0)
    for (const p of published) for (const [i, n] of Object.entries(p.sent)) sentBy[Number(i)] = n
    const topics = range(b.publishers).map((i) => topicFor(b.topicPattern, i))
    const expected = Object.fromEntries(range(b.subscribers).map((j) => [j, expectedFor(topicFor(b.subTopic, j), topics, sentBy)]))
    const drained = await Promise.all(shards.map((s) => s.drain(expected, b.drain)))
    const latencies = new LatencySamples(1)
    let received = 0
    let unique = 0
    let foreign = 0
    for (const d of drained) {
      latencies.addAll(d.latencies)
      for (const s of d.subscribers) { received += s.received; unique += s.unique; foreign += s.foreign }
    }
    return buildSummary({
      broker: brokerUrl(r.endpoint), protocolVersion: c.protocolVersion, qos: c.qos, bench: b,
      sent: sentBy.reduce((a, n) => a + n, 0), failed: published.reduce((a, p) => a + p.failed, 0),
      expected: Object.values(expected).reduce((a, n) => a + n, 0), received, unique, foreign, latencies: latencies.values(), connectMs,
      firstAt: startAt, lastSentAt: Math.max(startAt, ...published.map((p) => p.lastDoneAt)),
      lastDeliveryAt: Math.max(0, ...drained.map((d) => d.lastDeliveryAt)),
      connectionsLost: drained.reduce((a, d) => a + d.connectionsLost, 0),
    })
  } catch (e) {
    for (const s of shards) s.destroy()
    throw e
  } finally {
    clearInterval(ticker)
    r.signal.removeEventListener('abort', onAbort)
    await Promise.all(shards.map((s) => s.close().catch(() => {})))
  }
}
