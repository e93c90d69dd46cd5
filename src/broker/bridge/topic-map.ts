// mosquitto's bridge topic remapping (bridge_topic.c in 2.0), pure. A topic line becomes two filters: the
// local one (local prefix + pattern) that `out`/`both` subscribe to here, and the remote one (remote prefix +
// pattern) that `in`/`both` subscribe to there. A message is remapped by the FIRST line of its direction that
// has a prefix and whose filter matches it: the prefix of the side it comes from is taken off (if the topic
// starts with it), the other side's prefix is put on. A message no such line matches keeps its topic.
import type { QoS } from '../../codec/index.js'
import { isValidTopicFilter, isValidTopicName, topicMatches } from '../../codec/topics.js'
import { BridgeConfigError } from './bridge-error.js'

export type BridgeDirection = 'in' | 'out' | 'both'

/** mosquitto's `topic <pattern> [in|out|both] [qos] [local-prefix] [remote-prefix]`. */
export interface BridgeTopic {
  /** A topic filter; '' (mosquitto's `""`) with both prefixes bridges exactly the topic the prefixes name. */
  pattern: string
  /** Default 'out' (local → remote). */
  direction?: BridgeDirection
  /** Default 0: the QoS of the subscription on the side messages come from (messages above it are downgraded). */
  qos?: QoS
  /** Put in front of the pattern on this broker; taken off a topic on the way out, added on the way in. */
  localPrefix?: string
  /** Put in front of the pattern on the remote broker. */
  remotePrefix?: string
}

export interface MappedTopic {
  readonly direction: BridgeDirection
  readonly qos: QoS
  /** undefined: none (also for mosquitto's `""`). */
  readonly localPrefix: string | undefined
  readonly remotePrefix: string | undefined
  /** Subscribed to on this broker (out, both). */
  readonly localFilter: string
  /** Subscribed to on the remote broker (in, both). */
  readonly remoteFilter: string
}

const none = (p: string | undefined) => (p === undefined || p === '' ? undefined : p)

/** Check one topic line as mosquitto's bridge__add_topic does, and work out its two filters. */
export function compileTopic(t: BridgeTopic): MappedTopic {
  const direction = t.direction ?? 'out'
  const qos = t.qos ?? 0
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw new BridgeConfigError(`Invalid bridge topic direction '${String(direction)}'.`)
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new BridgeConfigError(`Invalid bridge QoS level '${String(qos)}'.`)
  const localPrefix = none(t.localPrefix)
  const remotePrefix = none(t.remotePrefix)
  if (localPrefix !== undefined && !isValidTopicName(localPrefix)) throw new BridgeConfigError(`Invalid bridge topic local prefix '${localPrefix}'.`)
  if (remotePrefix !== undefined && !isValidTopicName(remotePrefix)) throw new BridgeConfigError(`Invalid bridge topic remote prefix '${remotePrefix}'.`)
  // an empty pattern names one topic on each side: both prefixes are needed
  if (t.pattern === '' && (localPrefix === undefined || remotePrefix === undefined)) throw new BridgeConfigError('Invalid bridge remapping.')
  const localFilter = (localPrefix ?? '') + t.pattern
  const remoteFilter = (remotePrefix ?? '') + t.pattern
  for (const [side, prefix, filter] of [['local', localPrefix, localFilter], ['remote', remotePrefix, remoteFilter]] as const) {
    if (isValidTopicFilter(filter)) continue
    if (prefix === undefined) throw new BridgeConfigError(`Invalid bridge topic pattern '${t.pattern}'.`)
    throw new BridgeConfigError(`Invalid bridge topic ${side} prefix and pattern combination '${filter}'.`)
  }
  return { direction, qos, localPrefix, remotePrefix, localFilter, remoteFilter }
}

/** The remote topic of a message going out. */
export function remoteTopicFor(topics: readonly MappedTopic[], topic: string): string {
  for (const t of topics) {
    if (t.direction === 'in' || (t.localPrefix === undefined && t.remotePrefix === undefined)) continue
    if (topicMatches(t.localFilter, topic)) return swap(topic, t.localPrefix, t.remotePrefix)
  }
  return topic
}

/** The local topic of a message coming in. */
export function localTopicFor(topics: readonly MappedTopic[], topic: string): string {
  for (const t of topics) {
    if (t.direction === 'out' || (t.localPrefix === undefined && t.remotePrefix === undefined)) continue
    if (topicMatches(t.remoteFilter, topic)) return swap(topic, t.remotePrefix, t.localPrefix)
  }
  return topic
}

function swap(topic: string, from: string | undefined, to: string | undefined): string {
  // `a/#` also matches `a`, which does not start with the prefix `a/`: mosquitto then leaves it on
  const rest = from !== undefined && topic.startsWith(from) ? topic.slice(from.length) : topic
  return (to ?? '') + rest
}
