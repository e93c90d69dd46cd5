// Retained messages: set, replace, clear with an empty payload, match on subscribe; expired ones vanish.
import { isExpired, type Message } from './message.js'
import type { BrokerStats } from './stats.js'
import type { RetainedStore } from './store.js'

export class RetainedMessages {
  constructor(private readonly store: RetainedStore, private readonly stats: BrokerStats) {
    this.#sync()
  }

  /** A PUBLISH with the retain flag: an empty payload clears the topic [MQTT-3.3.1-10], anything else replaces it [MQTT-3.3.1-5]. */
  update(message: Message): void {
    if (message.payload.length === 0) this.store.delete(message.topic)
    else this.store.set(message)
    this.#sync()
  }

  /** Retained messages for a new subscription to `filter`, expired ones removed on the way. */
  match(filter: string, now: number): Message[] {
    const found = this.store.match(filter)
    let live = found
    for (const m of found) {
      if (!isExpired(m, now)) continue
      this.store.delete(m.topic) // [MQTT-3.3.2-5]
      live = live.filter((x) => x !== m)
    }
    if (live !== found) this.#sync()
    return live
  }

  get size(): number { return this.store.size }

  #sync(): void {
    const s = this.stats
    s.storedMessages += this.store.size - s.retainedCount
    s.storedBytes += this.store.bytes - this.#bytes
    this.#bytes = this.store.bytes
    s.retainedCount = this.store.size
  }

  #bytes = 0
}
