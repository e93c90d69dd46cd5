// Retained messages, one per topic name: set, replace, clear with an empty payload, match on subscribe;
// expired ones vanish. The owner of the retained set: every change is told to its listener.
import { isExpired, type Message } from './message.js'
import type { RetainedEvents } from './session-events.js'
import { TopicTrie } from './topic-trie.js'

export class RetainedMessages {
  readonly #trie = new TopicTrie<Message>()

  constructor(private readonly events: RetainedEvents) {}

  get size(): number { return this.#trie.size }

  /** A PUBLISH with the retain flag: an empty payload clears the topic [MQTT-3.3.1-10], anything else replaces it [MQTT-3.3.1-5]. */
  update(message: Message): void {
    if (message.payload.length === 0) this.#set(message.topic, undefined)
    else this.#set(message.topic, message)
  }

  get(topic: string): Message | undefined { return this.#trie.get(topic)[0] }

  /** Retained messages for a new subscription to `filter`, expired ones removed on the way [MQTT-3.3.2-5]. */
  match(filter: string, now: number): Message[] {
    const found = this.#trie.matchFilter(filter)
    if (!found.some((m) => isExpired(m, now))) return found
    const live: Message[] = []
    for (const m of found) {
      if (isExpired(m, now)) this.#set(m.topic, undefined)
      else live.push(m)
    }
    return live
  }

  /** Every retained message (for snapshots). */
  values(): IterableIterator<Message> { return this.#trie.values() }

  /** Load a message read back from the durable store (the listener still counts it). */
  restore(message: Message): void { this.#set(message.topic, message) }

  #set(topic: string, message: Message | undefined): void {
    const previous = this.get(topic)
    if (previous === undefined && message === undefined) return
    if (previous) this.#trie.remove(topic, () => true)
    if (message) this.#trie.add(topic, message)
    this.events.retained(topic, message, previous)
  }
}
