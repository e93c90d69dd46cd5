// Topics no client may publish to, by PUBLISH or by will, at any QoS, retained or not (issue 10 item 2):
// the broker's own `$SYS` tree and the `$share` prefix. As mosquitto's ACL, the test is on the prefix, so
// the exact topics `$SYS` and `$SYSfoo` (and `$sharefoo`) are refused too. Other `$` topics are open.
import { topicMatches } from '../codec/topics.js'

/**
 * The one exception: bridges announce their connection state under $SYS (mosquitto's `notifications`,
 * `$SYS/broker/connection/<name>/state`), on the remote broker as well, so a bridge connecting to us must
 * be able to publish (and leave as its will) that topic. mosquitto allows it to every client; so do we: a
 * bridge is not always recognisable (try_private false, and mosquitto's MQTT 5 bridges set no bit at all).
 */
export const BRIDGE_STATE_TOPICS: readonly string[] = ['$SYS/broker/connection/+/state']

/** May a client-originated message land on `topic`? */
export function clientMayPublishTo(topic: string): boolean {
  if (topic.charCodeAt(0) !== 36 /* $ */) return true
  if (topic.startsWith('$share')) return false // a subscription prefix, never a topic [MQTT-4.8.2] (v5)
  if (!topic.startsWith('$SYS')) return true
  return BRIDGE_STATE_TOPICS.some((f) => topicMatches(f, topic))
}
