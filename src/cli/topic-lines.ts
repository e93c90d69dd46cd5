// `tspub -l --topic-separator SEP`: each stdin line is `topic SEP payload`. Pure.
import { isValidUtf8 } from '../codec/topics.js'
import { lineFail } from './line-error.js'
import { checkTopicName } from './topic-name.js'

/**
 * Split at the first occurrence of `separator`: the topic before it (UTF-8, a valid topic name), the payload
 * after it, byte for byte (it may hold the separator again, or a trailing '\r'; nothing after it = an empty
 * message). A line without the separator is an error, never a topic of its own. Throws a LineError.
 */
export function splitTopicLine(line: Buffer, separator: Buffer): { topic: string; payload: Buffer } {
  const at = line.indexOf(separator)
  if (at === -1) return lineFail('no topic separator.')
  const topicBytes = line.subarray(0, at)
  if (!isValidUtf8(topicBytes)) lineFail('topic is not valid UTF-8.')
  const topic = topicBytes.toString('utf8')
  const bad = checkTopicName(topic)
  if (bad) lineFail(`topic ${bad}`)
  return { topic, payload: line.subarray(at + separator.length) }
}
