// tsbench's own options (the rows of the option table only tsbench takes), their parse state and the
// checks that turn them into a BenchConfig. The connection, session, TLS and information options are the
// shared rows of the table, so tsbench connects exactly as tspub and tssub do.
import { UsageError } from '../../core/errors.js'
import { isValidTopicFilter, isValidTopicName } from '../../codec/topics.js'
import { atof, atoi } from './c-numbers.js'
import type { OptionSpec } from './option-table.js'
import type { ParseState } from './state.js'

/** Bytes of the header every benchmark payload starts with (see src/cli/bench/payload-header.ts). */
export const BENCH_HEADER_BYTES = 24

export interface BenchConfig {
  /** --check: probe what the broker supports instead of measuring. */
  check: boolean
  publishers: number
  subscribers: number
  /** Topic of publisher i: %i replaced by i (0-based). */
  topicPattern: string
  /** Filter of subscriber j, %i replaced by j: --sub-topic, else the pattern with each %i level made `+`. */
  subTopic: string
  size: number
  /** Messages per second per publisher; undefined = as fast as the broker takes them. */
  ratePerPublisher?: number
  /** Messages each publisher sends; undefined = until --duration ends. */
  count?: number
  /** Seconds of publishing (default 10 without -C; with -C, a time bound only when given). */
  duration?: number
  /** New connections per second; undefined = all at once. */
  ramp?: number
  /** After publishing: stop once nothing has arrived for this many seconds (or everything has). */
  drain: number
  /** Worker threads the connections are spread over. */
  workers: number
  retain: boolean
}

/** What the option handlers write (mosquitto-style: later options win). */
export interface BenchState {
  check: boolean
  publishers: number
  subscribers: number
  subTopic?: string
  size: number
  rate?: number
  totalRate?: number
  count?: number
  duration?: number
  ramp?: number
  drain: number
  workers: number
}

export function initialBenchState(): BenchState {
  return { check: false, publishers: 1, subscribers: 1, size: 64, drain: 2, workers: 1 }
}

const usage2 = (message: string) => new UsageError(message)

function positiveInt(flag: string, v: string, min = 1, max = 1_000_000): number {
  const n = /^\s*[0-9]+\s*$/.test(v) ? atoi(v) : NaN
  if (!(n >= min && n <= max)) throw usage2(`${flag} must be a whole number from ${min} to ${max}.`)
  return n
}

function positiveReal(flag: string, v: string): number {
  const n = atof(v)
  if (!(Number.isFinite(n) && n > 0)) throw usage2(`${flag} must be a number greater than 0.`)
  return n
}

const BENCH = ['bench'] as const
const missing = (flag: string, thing: string) => `${flag} argument given but no ${thing} specified.`

/** tsbench's own rows ('own' group), in --help order. */
export const BENCH_ROWS: ReadonlyArray<Omit<OptionSpec, 'group'>> = [
  { names: ['--check'], tools: BENCH, apply: (s) => { s.bench.check = true },
    help: 'probe what the broker supports (versions, QoS, retain, wildcards, $share, limits) instead of measuring.' },
  { names: ['-c', '--publishers'], tools: BENCH, missing: missing('-c', 'count'), syntax: '-c count',
    apply: (s, v) => { s.bench.publishers = positiveInt('-c', v, 0) }, help: 'publishing connections. Defaults to 1.' },
  { names: ['-S', '--subscribers'], tools: BENCH, missing: missing('-S', 'count'), syntax: '-S count',
    apply: (s, v) => { s.bench.subscribers = positiveInt('-S', v, 0) }, help: 'subscribing connections; each gets every message. Defaults to 1.' },
  { names: ['-t', '--topic'], tools: BENCH, missing: missing('-t', 'topic'), syntax: '-t pattern',
    apply: (s, v) => { s.topic = v }, help: 'topic of publisher i, %i replaced by i (0, 1, ...); the last -t or -L topic wins. Defaults to tsbench/%i.' },
  { names: ['--sub-topic'], tools: BENCH, missing: missing('--sub-topic', 'filter'), syntax: '--sub-topic filter',
    apply: (s, v) => { s.bench.subTopic = v }, help: 'filter of subscriber j, %i replaced by j (so bench/%i pairs subscriber j with publisher j). Defaults to the topic with each %i level as +.' },
  { names: ['-q', '--qos'], tools: BENCH, complete: ['0', '1', '2'], missing: missing('-q', 'QoS'), syntax: '-q qos',
    apply: (s, v) => {
      const n = atoi(v)
      if (n < 0 || n > 2) throw new UsageError(`Invalid QoS given: ${n}`)
      s.qos = n as 0 | 1 | 2
    },
    help: 'quality of service of the publishes and subscriptions, 0, 1 or 2. Defaults to 0.' },
  { names: ['-s', '--size'], tools: BENCH, missing: missing('-s', 'size'), syntax: '-s bytes',
    apply: (s, v) => { s.bench.size = positiveInt('-s', v, BENCH_HEADER_BYTES, 268435455 - 65535) },
    help: `payload size in bytes, at least ${BENCH_HEADER_BYTES} (the header). Defaults to 64.` },
  { names: ['-r', '--rate'], tools: BENCH, missing: missing('-r', 'rate'), syntax: '-r msgs-per-second',
    apply: (s, v) => { s.bench.rate = positiveReal('-r', v); s.bench.totalRate = undefined },
    help: 'messages per second per publisher. Defaults to as fast as the broker takes them.' },
  { names: ['--total-rate'], tools: BENCH, missing: missing('--total-rate', 'rate'), syntax: '--total-rate msgs-per-second',
    apply: (s, v) => { s.bench.totalRate = positiveReal('--total-rate', v); s.bench.rate = undefined },
    help: 'messages per second of all publishers together (shared equally).' },
  { names: ['-C', '--count'], tools: BENCH, missing: missing('-C', 'count'), syntax: '-C count',
    apply: (s, v) => { s.bench.count = positiveInt('-C', v, 1, 1_000_000_000) }, help: 'messages each publisher sends, then stop.' },
  { names: ['--duration'], tools: BENCH, missing: missing('--duration', 'time'), syntax: '--duration seconds',
    apply: (s, v) => { s.bench.duration = positiveReal('--duration', v) },
    help: 'seconds to publish for (fractions allowed). Defaults to 10 without -C.' },
  { names: ['--ramp'], tools: BENCH, missing: missing('--ramp', 'rate'), syntax: '--ramp conns-per-second',
    apply: (s, v) => { s.bench.ramp = positiveReal('--ramp', v) }, help: 'open this many connections per second. Defaults to all at once.' },
  { names: ['--drain'], tools: BENCH, missing: missing('--drain', 'time'), syntax: '--drain seconds',
    apply: (s, v) => { s.bench.drain = positiveReal('--drain', v) },
    help: 'after publishing, wait this long without a delivery before counting the rest as lost. Defaults to 2.' },
  { names: ['--workers'], tools: BENCH, missing: missing('--workers', 'count'), syntax: '--workers count',
    apply: (s, v) => { s.bench.workers = positiveInt('--workers', v, 1, 256) },
    help: 'worker threads to spread the connections over (one per core to spare). Defaults to 1.' },
  { names: ['--retain'], tools: BENCH, apply: (s) => { s.retain = true }, help: 'publish with the retain flag (--check ignores it).' },
  { names: ['--json'], tools: BENCH, apply: (s) => { s.json = true }, help: 'print the summary as one JSON object (for CI).' },
]

/** The default subscription: every level that holds %i becomes `+`. */
export function defaultSubTopic(pattern: string): string {
  return pattern.split('/').map((level) => (level.includes('%i') ? '+' : level)).join('/')
}

export function topicFor(pattern: string, i: number): string {
  return pattern.replaceAll('%i', String(i))
}

export function finishBench(s: ParseState): BenchConfig {
  const b = s.bench
  const topicPattern = s.topic ?? 'tsbench/%i'
  if (!isValidTopicName(topicFor(topicPattern, 0))) throw new UsageError(`Invalid topic pattern '${topicPattern}', does it contain '+' or '#'?`)
  const subTopic = b.subTopic ?? defaultSubTopic(topicPattern)
  if (!isValidTopicFilter(topicFor(subTopic, 0))) throw new UsageError(`Invalid subscription filter '${subTopic}'.`)
  if (subTopic.startsWith('$share/')) throw new UsageError('A $share filter is not supported: each subscriber must get every message it matches (tsbench --check probes $share).')
  if (!b.check && b.publishers === 0 && b.subscribers === 0) throw new UsageError('Nothing to do: -c and -S are both 0.')
  const c: BenchConfig = {
    check: b.check, publishers: b.publishers, subscribers: b.subscribers, topicPattern, subTopic, size: b.size,
    drain: b.drain, workers: b.workers, retain: s.retain,
  }
  const rate = b.rate ?? (b.totalRate !== undefined && b.publishers > 0 ? b.totalRate / b.publishers : undefined)
  if (rate !== undefined) c.ratePerPublisher = rate
  if (b.count !== undefined) c.count = b.count
  const duration = b.duration ?? (b.count === undefined ? 10 : undefined)
  if (duration !== undefined) c.duration = duration
  if (b.ramp !== undefined) c.ramp = b.ramp
  return c
}
