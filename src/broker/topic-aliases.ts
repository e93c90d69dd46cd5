// MQTT 5 topic aliases the broker assigns to the topics it sends one connection (MQTT 5 §3.3.2.3.4): up to
// the Topic Alias Maximum the client announced in CONNECT [MQTT-3.3.2-9], never more than max_topic_alias.
// The least recently used alias is given to a new topic once all are taken (the PUBLISH that does so
// carries the topic name and the alias, which redefines it). Aliases live as long as the connection.
import type { PublishPacket } from '../codec/index.js'

export class OutboundTopicAliases {
  /** topic → alias, in least-recently-used order (a use moves the topic to the end). */
  readonly #byTopic = new Map<string, number>()
  #next = 1

  constructor(readonly max: number) {}

  /** `p` with its alias: the topic name is left out once the client knows the alias. */
  apply(p: PublishPacket): PublishPacket {
    const topic = p.topic
    let alias = this.#byTopic.get(topic)
    const known = alias !== undefined
    if (known) this.#byTopic.delete(topic)
    else if (this.#next <= this.max) alias = this.#next++
    else {
      const oldest = this.#byTopic.keys().next().value as string
      alias = this.#byTopic.get(oldest)!
      this.#byTopic.delete(oldest)
    }
    this.#byTopic.set(topic, alias!)
    p.properties = { ...p.properties, topicAlias: alias! }
    if (known) p.topic = ''
    return p
  }
}
