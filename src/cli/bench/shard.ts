// The connections one thread owns: some of the subscribers and publishers of a run (all of them with one
// worker). The run drives every shard through the same phases: connect (subscribers subscribed), publish,
// drain, close; a shard only reports counts, never prints.
import { connect, type Client } from '../../client/client.js'
import type { ClientOptions } from '../../client/client.js'
import type { PublishProperties, QoS, SubscribeProperties } from '../../codec/index.js'
import type { Endpoint } from '../../core/endpoint.js'
import { MqttError } from '../../core/errors.js'
import { LatencySamples } from './latency-stats.js'
import { rampOffsetMs } from './pacing.js'
import { newPayload, readStamp, writeStamp } from './payload-header.js'
import { publishLoop, type BenchClock } from './publish-loop.js'
import { ReceiveTracker, type ReceiveCounts } from './receive-tracker.js'
import { topicFor } from '../options/bench-options.js'
import type { ClientConfig } from '../options/types.js'

/** -D publish and -D subscribe: sent with every publish and subscribe of the run, over MQTT v5 only. */
export interface ShardProperties { publish?: PublishProperties; subscribe?: SubscribeProperties }

export function shardProperties(c: ClientConfig): ShardProperties {
  if (c.protocolVersion !== 5) return {}
  const { publish, subscribe } = c.properties
  return { ...(publish ? { publish } : {}), ...(subscribe ? { subscribe } : {}) }
}

/** Everything a shard needs, as plain data (it crosses to a worker thread). */
export interface ShardPlan {
  run: number
  endpoint: Endpoint
  options: ClientOptions
  /** Built in the shard's thread, as the options are (a worker gets them from the command line). */
  properties: ShardProperties
  clientIdPrefix: string
  qos: QoS
  retain: boolean
  size: number
  topicPattern: string
  subTopic: string
  /** Global indices of this shard's subscribers and publishers. */
  subscribers: number[]
  publishers: number[]
  /** All subscribers (the ramp opens them first, then the publishers). */
  totalSubscribers: number
  ramp?: number
  rate?: number
  count?: number
  /** Seconds of publishing. */
  duration?: number
  /** Unfinished publishes per publisher. */
  window: number
}

export interface PublishReport {
  /** Per global publisher index: messages sent (issued and not failed). */
  sent: Record<number, number>
  /** Publishes that failed (their connection closed first): neither sent nor expected. */
  failed: number
  firstAt: number
  lastDoneAt: number
}

export interface SubscriberReport extends ReceiveCounts { index: number; foreign: number }

export interface DrainReport {
  subscribers: SubscriberReport[]; latencies: Float64Array; lastDeliveryAt: number
  /** This shard's connections that closed before the run ended (the broker or the network went away). */
  connectionsLost: number
}

export interface Progress { sent: number; received: number }

interface Sub { index: number; client: Client; tracker: ReceiveTracker }
interface Pub { index: number; client: Client }

export class Shard {
  readonly #subs: Sub[] = []
  readonly #pubs: Pub[] = []
  readonly #latency = new LatencySamples(4096)
  #lastDeliveryAt = 0
  #sent = 0
  #received = 0
  #stopped = false

  constructor(private readonly plan: ShardPlan, private readonly clock: BenchClock) {}

  progress(): Progress { return { sent: this.#sent, received: this.#received } }

  /** Open every connection at its ramp time (`startAt` + offset); subscribers are subscribed on return. */
  async connect(startAt: number): Promise<void> {
    const p = this.plan
    const at = (rampIndex: number) => this.clock.sleep(startAt + rampOffsetMs(rampIndex, p.ramp) - this.clock.now())
    const subs = p.subscribers.map(async (index) => {
      await at(index)
      const client = await connect(p.endpoint, { ...p.options, clientId: `${p.clientIdPrefix}s${index}` })
      const sub: Sub = { index, client, tracker: new ReceiveTracker() }
      this.#subs.push(sub)
      client.onMessage = (m) => this.#deliver(sub, m.payload as Buffer)
      const filter = topicFor(p.subTopic, index)
      const ack = await client.subscribe([{ topic: filter, qos: p.qos }], p.properties.subscribe)
      const granted = ack.granted[0]
      if (typeof granted !== 'number' || granted >= 0x80) {
        throw new MqttError(`The broker refused the subscription to '${filter}' (reason code ${String(granted ?? 'none')}).`, 'ERR_BENCH_SUBSCRIBE')
      }
    })
    const pubs = p.publishers.map(async (index) => {
      await at(p.totalSubscribers + index)
      const client = await connect(p.endpoint, { ...p.options, clientId: `${p.clientIdPrefix}p${index}` })
      this.#pubs.push({ index, client })
    })
    const results = await Promise.allSettled([...subs, ...pubs])
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  async publish(startAt: number): Promise<PublishReport> {
    const p = this.plan
    const endAt = p.duration === undefined ? undefined : startAt + p.duration * 1000
    await this.clock.sleep(startAt - this.clock.now())
    const report: PublishReport = { sent: {}, failed: 0, firstAt: this.clock.now(), lastDoneAt: 0 }
    await Promise.all(this.#pubs.map(async ({ index, client }) => {
      const topic = topicFor(p.topicPattern, index)
      const payload = newPayload(p.size)
      const stamp = { run: p.run, publisher: index, seq: 0, sentAt: 0 }
      const o = { qos: p.qos, retain: p.retain, ...(p.properties.publish ? { properties: p.properties.publish } : {}) }
      /** The messages from `first` on, one buffer stamped again for each (publishMany copies it before the next). */
      function* stamped(first: number, count: number): Generator<Buffer> {
        for (let i = 0; i < count; i++) {
          stamp.seq = first + i
          writeStamp(payload, stamp)
          yield payload
        }
      }
      // QoS 0: the messages due at one moment go in one call (they leave in the same write anyway).
      const many = p.qos !== 0 ? undefined : (first: number, count: number) => {
        stamp.sentAt = this.clock.now()
        this.#sent += count
        return client.publishMany(topic, stamped(first, count), o).then((r) => r.failed.length)
      }
      const r = await publishLoop({ startAt, window: p.window, ...(endAt !== undefined ? { endAt } : {}),
        ...(p.count !== undefined ? { count: p.count } : {}), ...(p.rate !== undefined ? { rate: p.rate } : {}) },
      this.clock, (seq) => {
        stamp.seq = seq
        stamp.sentAt = this.clock.now()
        writeStamp(payload, stamp)
        this.#sent++
        return client.publish(topic, payload, o)
      }, () => this.#stopped || !client.connected, () => { this.#sent-- }, many)
      report.sent[index] = r.issued - r.failed
      report.failed += r.failed
      report.lastDoneAt = Math.max(report.lastDoneAt, r.doneAt)
    }))
    return report
  }

  /**
   * Wait until subscriber i holds `expected[i]` distinct messages, nothing arrived for `drainSeconds`, or
   * every subscriber's connection is closed; then report what each received and the connections lost.
   */
  async drain(expected: Record<number, number>, drainSeconds: number): Promise<DrainReport> {
    const complete = () => this.#subs.every((s) => s.tracker.unique >= (expected[s.index] ?? 0))
    // With every subscriber's connection closed nothing more can arrive.
    const listening = () => this.#subs.some((s) => s.client.connected)
    let lastCount = -1
    let quietSince = this.clock.now()
    while (!complete() && !this.#stopped && listening()) {
      if (this.#received !== lastCount) { lastCount = this.#received; quietSince = this.clock.now() }
      if (this.clock.now() - quietSince >= drainSeconds * 1000) break
      await this.clock.sleep(10)
    }
    return {
      subscribers: this.#subs.map((s) => ({ index: s.index, foreign: s.tracker.foreign, ...s.tracker.counts() })),
      latencies: this.#latency.values(),
      lastDeliveryAt: this.#lastDeliveryAt,
      connectionsLost: [...this.#subs, ...this.#pubs].filter(({ client }) => !client.connected).length,
    }
  }

  stop(): void { this.#stopped = true }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#subs, ...this.#pubs].map(({ client }) => client.disconnect()))
  }

  destroy(): void { for (const { client } of [...this.#subs, ...this.#pubs]) client.destroy() }

  #deliver(sub: Sub, payload: Buffer): void {
    const stamp = readStamp(payload)
    if (!stamp || stamp.run !== this.plan.run) { sub.tracker.foreign++; return }
    const now = this.clock.now()
    this.#received++
    this.#lastDeliveryAt = now
    this.#latency.add(now - stamp.sentAt)
    sub.tracker.add(stamp.publisher, stamp.seq)
  }
}
