// -t, -T, -U, -e, -L topic and --will-topic: UTF-8 and wildcard checks with mosquitto's messages.
import { UsageError } from '../../core/errors.js'
import type { ParseState } from './state.js'
import { isValidMqttUtf8, pubTopicOk, subTopicOk } from './text-checks.js'

/**
 * cfg_add_topic: pub/rr keep one publish topic (last wins), sub accumulates filters.
 * `label` names the argument in the UTF-8 error (`-t`, `-L topic`).
 */
export function addTopic(s: ParseState, topic: string, label: string): void {
  if (!isValidMqttUtf8(topic)) throw new UsageError(`Malformed UTF-8 in ${label} argument.`, 2)
  if (s.tool === 'sub') {
    if (!subTopicOk(topic)) {
      throw new UsageError(`Invalid subscription topic '${topic}', are all '+' and '#' wildcards correct?`)
    }
    s.topics.push(topic)
  } else {
    if (!pubTopicOk(topic)) throw new UsageError(`Invalid publish topic '${topic}', does it contain '+' or '#'?`)
    s.topic = topic
  }
}

export function setResponseTopic(s: ParseState, topic: string): void {
  if (!isValidMqttUtf8(topic)) throw new UsageError('Malformed UTF-8 in -e argument.', 2)
  if (!pubTopicOk(topic)) throw new UsageError(`Invalid response topic '${topic}', does it contain '+' or '#'?`)
  s.responseTopic = topic
}

/** -T and -U: a filter checked like a subscription. `what` is `filter` or `unsubscribe`. */
export function checkedFilter(filter: string, flag: '-T' | '-U'): string {
  if (!isValidMqttUtf8(filter)) throw new UsageError(`Malformed UTF-8 in ${flag} argument.`, 2)
  if (!subTopicOk(filter)) {
    const what = flag === '-T' ? 'filter' : 'unsubscribe'
    throw new UsageError(`Invalid ${what} topic '${filter}', are all '+' and '#' wildcards correct?`)
  }
  return filter
}

export function setWillTopic(s: ParseState, topic: string): void {
  if (!isValidMqttUtf8(topic)) throw new UsageError('Malformed UTF-8 in --will-topic argument.', 2)
  if (!pubTopicOk(topic)) throw new UsageError(`Invalid will topic '${topic}', does it contain '+' or '#'?`)
  s.willTopic = topic
}
