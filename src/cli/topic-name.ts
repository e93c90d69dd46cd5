// Why a topic taken from an input line (tspub --ndjson, -l --topic-separator) cannot be published.
import { isValidTopicName } from '../codec/topics.js'

/** undefined when `topic` is a valid topic name, else the rest of the sentence "topic …" [MQTT-4.7.3-1]. */
export function checkTopicName(topic: string): string | undefined {
  if (isValidTopicName(topic)) return undefined
  if (topic === '') return 'is empty.' // [MQTT-4.7.3-1]
  if (topic.includes('+') || topic.includes('#')) return "contains '+' or '#'." // [MQTT-3.3.2-2]
  if (Buffer.byteLength(topic) > 65535) return 'is longer than 65535 bytes.' // [MQTT-1.5.4-1]
  return 'is not valid UTF-8 or contains U+0000.' // [MQTT-4.7.3-2]
}
