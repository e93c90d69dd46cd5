// The $SYS topic tree, as mosquitto 2.0's sys_tree.c publishes it (reference §8): a pure calculator
// (stats snapshot + time → messages) and a small scheduler that publishes its output every interval.
import { systemClock, type Clock } from '../core/clock.js'
import type { BrokerStats } from './stats.js'

export interface SysMessage {
  readonly topic: string
  readonly payload: string
  /** Message Expiry Interval in seconds; absent for `$SYS/broker/version`, as in mosquitto. */
  readonly expiry?: number
}

/** $SYS messages are retained and queued at QoS 2 (mosquitto's SYS_TREE_QOS). */
export const SYS_QOS = 2
const EXPIRY = 60
const LOAD_WINDOWS = [['1min', 60], ['5min', 300], ['15min', 900]] as const

/** The broker's counters plus, when the scheduler samples it, the JavaScript heap (mosquitto's heap/*). */
export interface SysSnapshot extends BrokerStats { heapCurrent?: number; heapMaximum?: number }
type Counter = (s: Readonly<SysSnapshot>) => number | undefined
type Count = (s: Readonly<BrokerStats>) => number

/** Plain values: republished only when they change. Several topics can share one value. */
const VALUES: ReadonlyArray<[topics: string[], value: Counter]> = [
  [['clients/total'], (s) => s.clientsConnected + s.clientsDisconnected],
  [['clients/maximum'], (s) => s.clientsMaximum],
  [['heap/current'], (s) => s.heapCurrent],
  [['heap/maximum'], (s) => s.heapMaximum],
  [['clients/inactive', 'clients/disconnected'], (s) => s.clientsDisconnected],
  [['clients/active', 'clients/connected'], (s) => s.clientsConnected],
  [['clients/expired'], (s) => s.clientsExpired],
  [['messages/stored', 'store/messages/count'], (s) => s.storedMessages],
  [['store/messages/bytes'], (s) => s.storedBytes],
  [['subscriptions/count'], (s) => s.subscriptionsCount],
  [['shared_subscriptions/count'], (s) => s.sharedSubscriptionsCount],
  [['retained messages/count'], (s) => s.retainedCount], // the space is mosquitto's
  [['messages/received'], (s) => s.messagesReceived],
  [['messages/sent'], (s) => s.messagesSent],
  [['publish/messages/dropped'], (s) => s.publishDropped],
  [['publish/messages/received'], (s) => s.publishReceived],
  [['publish/messages/sent'], (s) => s.publishSent],
  [['bytes/received'], (s) => s.bytesReceived],
  [['bytes/sent'], (s) => s.bytesSent],
  [['publish/bytes/received'], (s) => s.publishBytesReceived],
  [['publish/bytes/sent'], (s) => s.publishBytesSent],
]

/**
 * Load averages: `load/<name>/{1min,5min,15min}` from the per-minute rate of a counter.
 */
const LOADS: ReadonlyArray<[name: string, value: Count]> = [
  ['messages/received', (s) => s.messagesReceived],
  ['messages/sent', (s) => s.messagesSent],
  ['publish/dropped', (s) => s.publishDropped],
  ['publish/received', (s) => s.publishReceived],
  ['publish/sent', (s) => s.publishSent],
  ['bytes/received', (s) => s.bytesReceived],
  ['bytes/sent', (s) => s.bytesSent],
  ['sockets', (s) => s.connectionsTotal],
  ['connections', (s) => s.connectsAccepted],
]

export interface SysTree {
  /** The messages due at `nowMs` for this snapshot: everything the first time, then only what changed. */
  update(stats: Readonly<SysSnapshot>, nowMs: number): SysMessage[]
}

/** `version` is the payload of `$SYS/broker/version`, e.g. "tsbroker version 0.1.0". */
export function createSysTree(version: string): SysTree {
  const last = new Map<string, number>() // last published plain values, by first topic
  const loads = new Map<string, number>() // current load averages, by topic
  let previous: { stats: BrokerStats; at: number } | undefined

  return {
    update(stats, nowMs) {
      const out: SysMessage[] = []
      const sys = (topic: string, payload: string) => out.push({ topic: `$SYS/broker/${topic}`, payload, expiry: EXPIRY })
      if (!previous) out.push({ topic: '$SYS/broker/version', payload: version })
      sys('uptime', `${Math.floor((nowMs - stats.startedAt) / 1000)} seconds`)
      for (const [topics, value] of VALUES) {
        const v = value(stats)
        if (v === undefined || last.get(topics[0]!) === v) continue
        last.set(topics[0]!, v)
        for (const t of topics) sys(t, String(v))
      }
      const dt = previous ? (nowMs - previous.at) / 1000 : 0
      for (const [name, value] of LOADS) {
        // mosquitto publishes 0.00 for every load on the first update and starts averaging from there.
        const rate = previous && dt > 0 ? ((value(stats) - value(previous.stats)) * 60) / dt : 0
        for (const [suffix, window] of LOAD_WINDOWS) {
          const topic = `load/${name}/${suffix}`
          const old = loads.get(topic)
          if (old === undefined || dt <= 0) {
            if (old === undefined) { loads.set(topic, 0); sys(topic, '0.00') }
            continue
          }
          const next = rate + Math.exp(-dt / window) * (old - rate)
          loads.set(topic, next)
          if (Math.abs(next - old) >= 0.01) sys(topic, next.toFixed(2))
        }
      }
      previous = { stats: { ...stats }, at: nowMs }
      return out
    },
  }
}

/** What the scheduler needs from a broker: its counters and an inline publish. */
export interface SysTarget {
  readonly stats: Readonly<BrokerStats>
  publish(msg: { topic: string; payload: Buffer; qos: 2; retain: true; properties?: { messageExpiryInterval: number } }): unknown
}

export interface SysPublisher { stop(): void }

/**
 * Publish the $SYS tree now and then every `intervalSeconds` (0: never, as mosquitto's sys_interval 0).
 * A failed publish is reported to `onError` and does not stop the schedule.
 */
export function startSysPublisher(
  target: SysTarget,
  o: { intervalSeconds: number; version: string; clock?: Clock; onError?: (err: unknown) => void; sampleHeap?: () => number },
): SysPublisher {
  if (o.intervalSeconds <= 0) return { stop() {} }
  const clock = o.clock ?? systemClock
  const tree = createSysTree(o.version)
  let timer: unknown
  let stopped = false
  let heapMaximum = 0
  const tick = () => {
    if (stopped) return
    const heapCurrent = (o.sampleHeap ?? heapUsed)()
    heapMaximum = Math.max(heapMaximum, heapCurrent)
    for (const m of tree.update({ ...target.stats, heapCurrent, heapMaximum }, clock.now())) {
      const msg = {
        topic: m.topic, payload: Buffer.from(m.payload), qos: SYS_QOS, retain: true,
        ...(m.expiry === undefined ? {} : { properties: { messageExpiryInterval: m.expiry } }),
      } as const
      try {
        const r = target.publish(msg)
        if (r instanceof Promise) r.catch((e: unknown) => o.onError?.(e))
      } catch (e) {
        o.onError?.(e)
      }
    }
    timer = clock.setTimeout(tick, o.intervalSeconds * 1000)
    ;(timer as { unref?: () => void } | undefined)?.unref?.()
  }
  tick()
  return {
    stop() {
      stopped = true
      clock.clearTimeout(timer)
    },
  }
}

const heapUsed = (): number => process.memoryUsage().heapUsed
