// MQTT 5 topic aliases on the client side.
import type { PublishPacket } from '../codec/index.js'

/** Inbound: the broker may replace a topic by an alias it set up earlier [MQTT-3.3.2-12]. */
export class InboundAliases {
  readonly #topics = new Map<number, string>()

  /** The real topic of `p`, or undefined when it names an alias never set. */
  resolve(p: PublishPacket): string | undefined {
    const alias = p.properties?.topicAlias
    if (alias === undefined) return p.topic
    if (p.topic !== '') {
      this.#topics.set(alias, p.topic)
      return p.topic
    }
    return this.#topics.get(alias)
  }
}

/**
 * Outbound: a publish carrying a topic-alias property (`-D publish topic-alias N`) sends the topic the
 * first time and an empty topic afterwards, as libmosquitto does.
 */
export class OutboundAliases {
  readonly #sent = new Map<number, string>()

  apply(p: PublishPacket): PublishPacket {
    const out = this.peek(p)
    if (out === p && p.properties?.topicAlias !== undefined) this.#sent.set(p.properties.topicAlias, p.topic)
    return out
  }

  /** The packet apply() would return, nothing recorded (its size is checked before it may be sent). */
  peek(p: PublishPacket): PublishPacket {
    const alias = p.properties?.topicAlias
    return alias !== undefined && this.#sent.get(alias) === p.topic ? { ...p, topic: '' } : p
  }
}
