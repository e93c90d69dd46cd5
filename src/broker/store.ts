// Where the broker keeps retained messages and sessions. The interface is the seam for durability
// (a persistence engineer adds a file-backed store); MemoryStore is the default.
import type { Message } from './message.js'
import type { BrokerSession } from './sessions.js'
import { TopicTrie } from './topic-trie.js'

/** Retained messages, one per topic name. */
export interface RetainedStore {
  /** Store (replace) the retained message of `message.topic`. */
  set(message: Message): void
  /** Remove the retained message of `topic`; true if there was one. */
  delete(topic: string): boolean
  get(topic: string): Message | undefined
  /** Retained messages whose topic matches `filter` (`$` topics only for `$`-prefixed filters). */
  match(filter: string): Message[]
  readonly size: number
  /** Total payload bytes held. */
  readonly bytes: number
}

/**
 * Sessions by client id. The memory store holds the live BrokerSession objects; a durable store would
 * serialise their subscriptions and pending messages (not built yet).
 */
export interface SessionStore {
  get(clientId: string): BrokerSession | undefined
  set(session: BrokerSession): void
  delete(clientId: string): boolean
  values(): IterableIterator<BrokerSession>
  readonly size: number
}

export interface BrokerStore {
  readonly retained: RetainedStore
  readonly sessions: SessionStore
}

export class MemoryRetainedStore implements RetainedStore {
  readonly #trie = new TopicTrie<Message>()
  #bytes = 0

  get size(): number { return this.#trie.size }
  get bytes(): number { return this.#bytes }

  set(message: Message): void {
    this.delete(message.topic)
    this.#trie.add(message.topic, message)
    this.#bytes += message.payload.length
  }

  delete(topic: string): boolean {
    const old = this.get(topic)
    if (!old) return false
    this.#bytes -= old.payload.length
    this.#trie.remove(topic, () => true)
    return true
  }

  get(topic: string): Message | undefined { return this.#trie.get(topic)[0] }

  match(filter: string): Message[] { return this.#trie.matchFilter(filter) }
}

export class MemorySessionStore implements SessionStore {
  readonly #map = new Map<string, BrokerSession>()
  get size(): number { return this.#map.size }
  get(clientId: string): BrokerSession | undefined { return this.#map.get(clientId) }
  set(session: BrokerSession): void { this.#map.set(session.clientId, session) }
  delete(clientId: string): boolean { return this.#map.delete(clientId) }
  values(): IterableIterator<BrokerSession> { return this.#map.values() }
}

/** Retained messages and sessions in memory: lost when the process ends. */
export class MemoryStore implements BrokerStore {
  readonly retained = new MemoryRetainedStore()
  readonly sessions = new MemorySessionStore()
}
