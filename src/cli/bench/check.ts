// tsbench --check: what a broker supports, found by trying it (HiveMQ's `mqtt test` idea) — protocol
// versions, QoS round trips and granted QoS, retained messages, wildcards, $share, the largest payload and
// topic that make a round trip (doubling, bounded in size and time), and the limits a v5 CONNACK announces.
import { randomInt } from 'node:crypto'
import { connect, type Client, type ClientOptions } from '../../client/client.js'
import type { PublishPacket, QoS } from '../../codec/index.js'
import type { Endpoint } from '../../core/endpoint.js'
import { ConnackRefusedError, TimeoutError } from '../../core/errors.js'
import type { BenchClock } from './publish-loop.js'
import { brokerUrl } from './broker-url.js'

export type Version = 3 | 4 | 5
export interface VersionResult { accepted: boolean; reasonCode?: number; error?: string }
export interface QosResult { qos: QoS; granted: number | null; delivered: boolean; deliveredQos: number | null }
export interface LimitResult { largestOk: number; firstFailed: number | null; cap: number }
export interface ConnackLimits {
  receiveMaximum: number | null; topicAliasMaximum: number | null; maximumPacketSize: number | null; maximumQoS: number | null
  retainAvailable: boolean | null; wildcardSubscriptionAvailable: boolean | null; sharedSubscriptionAvailable: boolean | null
  subscriptionIdentifiersAvailable: boolean | null; serverKeepAlive: number | null
}

export interface CheckReport {
  schema: 'tsbench-check/1'
  broker: string
  protocolVersions: { 'v3.1': VersionResult; 'v3.1.1': VersionResult; v5: VersionResult }
  /** The version the other probes used: the newest one accepted. */
  probedWith: Version
  qos: QosResult[]
  retained: boolean
  wildcards: { '+': boolean; '#': boolean }
  sharedSubscriptions: boolean
  maxPayload: LimitResult
  maxTopicLength: LimitResult
  /** v5 CONNACK properties (null = not sent: the spec's default applies); null for a v3 broker. */
  connack: ConnackLimits | null
}

/** Bounds of the doubling probes. */
export const PAYLOAD_CAP = 16 * 1024 * 1024
export const TOPIC_CAP = 65535
const STEP_MS = 3000
const PROBE_BUDGET_MS = 15_000

const VERSION_KEYS = { 3: 'v3.1', 4: 'v3.1.1', 5: 'v5' } as const

export async function runCheck(endpoint: Endpoint, base: ClientOptions, clock: BenchClock): Promise<CheckReport> {
  const tag = `tsbench-check-${randomInt(0, 0xffffffff).toString(16)}`
  const opts = (v: Version, n: string): ClientOptions => {
    const o: ClientOptions = { ...base, protocolVersion: v, clientId: `${tag}-${n}`, clean: true }
    if (v !== 5) { delete o.properties; delete o.disconnectProperties }
    return o
  }
  let versions = {} as CheckReport['protocolVersions']
  let connack: CheckReport['connack'] = null
  let lastError: unknown
  // 3.1.1 first: if that fails for any reason but a refusal, there is no broker to probe.
  for (const v of [4, 3, 5] as const) {
    try {
      const client = await connect(endpoint, opts(v, `v${v}`))
      if (v === 5) connack = limitsOf(client.connack?.properties)
      await client.disconnect()
      versions[VERSION_KEYS[v]] = { accepted: true }
    } catch (e) {
      if (v === 4 && !(e instanceof ConnackRefusedError)) throw e
      lastError = e
      versions[VERSION_KEYS[v]] = { accepted: false, ...(e instanceof ConnackRefusedError ? { reasonCode: e.reasonCode } : {}), error: e instanceof Error ? e.message : String(e) }
    }
  }
  versions = { 'v3.1': versions['v3.1'], 'v3.1.1': versions['v3.1.1'], v5: versions.v5 }
  const probedWith = ([5, 4, 3] as const).find((v) => versions[VERSION_KEYS[v]].accepted)
  if (probedWith === undefined) throw lastError
  let n = 0
  const open = () => connect(endpoint, opts(probedWith, `c${n++}`))
  const topic = (name: string) => `${tag}/${name}`

  const qos: QosResult[] = []
  for (const q of [0, 1, 2] as const) qos.push(await probeQos(open, topic(`qos${q}`), q))
  const retained = await probeRetained(open, topic('retain'))
  const plus = await roundTrip(open, `${tag}/w/+/x`, `${tag}/w/a/x`, Buffer.from('+'), 1)
  const hash = await roundTrip(open, `${tag}/h/#`, `${tag}/h/a/b`, Buffer.from('#'), 1)
  const sharedSubscriptions = await probeShared(open, tag)
  const deadline = clock.now() + PROBE_BUDGET_MS
  const maxPacket = connack?.maximumPacketSize ?? PAYLOAD_CAP + 1024
  const maxPayload = await doubling(1024, Math.min(PAYLOAD_CAP, maxPacket - 1024), deadline, clock,
    (size) => roundTrip(open, topic('size'), topic('size'), Buffer.alloc(size, 0x61), 1))
  const maxTopicLength = await doubling(64, TOPIC_CAP, deadline, clock, (len) => {
    const t = `${tag}/t/`.padEnd(len, 'a')
    return roundTrip(open, t, t, Buffer.from('t'), 1)
  })
  return {
    schema: 'tsbench-check/1', broker: brokerUrl(endpoint), protocolVersions: versions, probedWith,
    qos, retained, wildcards: { '+': plus, '#': hash }, sharedSubscriptions, maxPayload, maxTopicLength, connack,
  }
}

type Open = () => Promise<Client>

function limitsOf(p: NonNullable<Client['connack']>['properties']): ConnackLimits {
  return {
    receiveMaximum: p?.receiveMaximum ?? null, topicAliasMaximum: p?.topicAliasMaximum ?? null,
    maximumPacketSize: p?.maximumPacketSize ?? null, maximumQoS: p?.maximumQoS ?? null,
    retainAvailable: p?.retainAvailable ?? null, wildcardSubscriptionAvailable: p?.wildcardSubscriptionAvailable ?? null,
    sharedSubscriptionAvailable: p?.sharedSubscriptionAvailable ?? null,
    subscriptionIdentifiersAvailable: p?.subscriptionIdentifiersAvailable ?? null, serverKeepAlive: p?.serverKeepAlive ?? null,
  }
}

/** The first message on `client` within `ms`, or undefined (a lost connection counts as none). */
function nextMessage(client: Client, ms: number, accept: (m: PublishPacket) => boolean = () => true): Promise<PublishPacket | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    client.onMessage = (m) => { if (accept(m)) { clearTimeout(timer); resolve(m) } }
    void client.closed.then(() => { clearTimeout(timer); resolve(undefined) })
  })
}

async function granted(client: Client, filter: string, q: QoS): Promise<number | null> {
  const ack = await withTimeout(client.subscribe([{ topic: filter, qos: q }]))
  const g = ack.granted[0]
  return typeof g === 'number' ? g : null
}

function withTimeout<T>(p: Promise<T>, ms = STEP_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new TimeoutError()), ms)
    p.then((v) => { clearTimeout(t); resolve(v) }, (e: unknown) => { clearTimeout(t); reject(e as Error) })
  })
}

/** Subscribe to `filter` and publish to `topic` on one connection: did the message come back intact? */
async function roundTrip(open: Open, filter: string, topic: string, payload: Buffer, q: QoS): Promise<boolean> {
  let client: Client | undefined
  try {
    client = await open()
    const g = await granted(client, filter, q)
    if (g === null || g >= 0x80) return false
    const got = nextMessage(client, STEP_MS)
    await withTimeout(client.publish(topic, payload, { qos: q }))
    const m = await got
    return m !== undefined && m.topic === topic && Buffer.compare(m.payload as Buffer, payload) === 0
  } catch {
    return false
  } finally {
    await closeQuietly(client)
  }
}

async function closeQuietly(client: Client | undefined): Promise<void> {
  if (!client) return
  try { await withTimeout(client.disconnect(), 1000) } catch { client.destroy() }
}

async function probeQos(open: Open, topic: string, q: QoS): Promise<QosResult> {
  let client: Client | undefined
  const r: QosResult = { qos: q, granted: null, delivered: false, deliveredQos: null }
  try {
    client = await open()
    r.granted = await granted(client, topic, q)
    if (r.granted === null || r.granted >= 0x80) return r
    const got = nextMessage(client, STEP_MS)
    await withTimeout(client.publish(topic, `qos${q}`, { qos: q }))
    const m = await got
    r.delivered = m !== undefined
    r.deliveredQos = m?.qos ?? null
  } catch { /* what was learnt so far stands */ } finally {
    await closeQuietly(client)
  }
  return r
}

async function probeRetained(open: Open, topic: string): Promise<boolean> {
  let pub: Client | undefined
  let sub: Client | undefined
  try {
    pub = await open()
    await withTimeout(pub.publish(topic, 'retained', { qos: 1, retain: true }))
    sub = await open()
    const got = nextMessage(sub, STEP_MS)
    await granted(sub, topic, 1)
    const m = await got
    return m !== undefined && m.retain === true && (m.payload as Buffer).toString() === 'retained'
  } catch {
    return false
  } finally {
    await pub?.publish(topic, Buffer.alloc(0), { qos: 1, retain: true }).catch(() => {})
    await closeQuietly(sub)
    await closeQuietly(pub)
  }
}

/** Two members of one $share group, four messages: each delivered exactly once over the group. */
async function probeShared(open: Open, tag: string): Promise<boolean> {
  const clients: Client[] = []
  try {
    for (let i = 0; i < 2; i++) clients.push(await open())
    for (const c of clients) {
      const g = await granted(c, `$share/${tag}/${tag}/s`, 1)
      if (g === null || g >= 0x80) return false
    }
    let count = 0
    const seen = new Set<string>()
    let duplicate = false
    const all = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, STEP_MS)
      for (const c of clients) {
        c.onMessage = (m) => {
          const text = (m.payload as Buffer).toString()
          if (seen.has(text)) duplicate = true
          seen.add(text)
          if (++count === 4) { clearTimeout(t); setTimeout(resolve, 100) }
        }
      }
    })
    for (let i = 0; i < 4; i++) await withTimeout(clients[0]!.publish(`${tag}/s`, `m${i}`, { qos: 1 }))
    await all
    return !duplicate && count === 4
  } catch {
    return false
  } finally {
    for (const c of clients) await closeQuietly(c)
  }
}

/** Double from `start` while `attempt` succeeds, up to `cap` (tried last) and until `deadline`. */
export async function doubling(start: number, cap: number, deadline: number, clock: BenchClock, attempt: (n: number) => Promise<boolean>): Promise<LimitResult> {
  let largestOk = 0
  let firstFailed: number | null = null
  for (let n = Math.min(start, cap); clock.now() < deadline; n = Math.min(n * 2, cap)) {
    if (!(await attempt(n))) { firstFailed = n; break }
    largestOk = n
    if (n === cap) break
  }
  return { largestOk, firstFailed, cap }
}

