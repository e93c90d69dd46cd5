// With persistence, nothing leaves the broker that says "this is stored" before it is on disk: a PUBACK or
// PUBREC for a client's message, a PUBCOMP (the QoS 2 id is forgotten), a PUBREL (the outbound flow moved
// on), a QoS>0 PUBLISH to a subscriber (so a crash cannot make it arrive twice), SUBACK/UNSUBACK and CONNACK.
// One gate per connection holds such packets until the store has synced the records they depend on;
// anything the connection sends after them waits behind them, so its order on the wire never changes.
// When the store could not write, the acknowledgements of the client's PUBLISHes become refusals:
// v5 PUBACK/PUBREC 0x80, and a v3 client (which has no refusal to hear) is disconnected instead.
import type { Packet, Wire } from '../codec/index.js'
import { puback, pubrec } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import type { DurableStore } from './persistence/durable-store.js'

/** Packets that say something is stored: with persistence they leave only once it is on disk. */
export function mustBeDurable(p: Packet): boolean {
  switch (p.cmd) {
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': case 'suback': case 'unsuback': case 'connack': return true
    case 'publish': return p.qos > 0
    default: return false
  }
}

/** Pre-encoded bytes (a Wire) or a packet object? */
function isPacket(item: Packet | Wire): item is Packet {
  return !Buffer.isBuffer(item) && !Array.isArray(item)
}

/** What the gate needs of its connection. */
export interface GatedConnection {
  readonly version: number
  write(packet: Packet): void
  writeRaw(bytes: Wire): void
  readonly conn: { end(): void }
}

export class DurabilityGate {
  #items: (Packet | Wire)[] = []
  /** The store ticket each item waits for (0: only its place in the order). */
  #tickets: number[] = []
  #head = 0
  #waiting = false
  #ending = false
  #closed = false
  /** PUBACKs and PUBCOMPs held here: the client still counts those messages as unacknowledged. */
  acks = 0

  constructor(private readonly c: GatedConnection, private readonly store: DurableStore) {}

  get busy(): boolean { return this.#head < this.#items.length }

  push(item: Packet | Wire): void {
    if (this.#closed) return
    const durable = isPacket(item) && mustBeDurable(item)
    this.#items.push(item)
    this.#tickets.push(durable ? this.store.ticket : 0)
    if (isPacket(item) && (item.cmd === 'puback' || item.cmd === 'pubcomp')) this.acks++
    if (!this.#waiting) this.#wait(durable ? this.store.ticket : 0)
  }

  /** Close the connection once everything held has gone out. */
  endAfter(): void { this.#ending = true }

  #wait(ticket: number): void {
    if (this.#head > 1024) { // drop what was sent long ago
      this.#items = this.#items.slice(this.#head)
      this.#tickets = this.#tickets.slice(this.#head)
      this.#head = 0
    }
    this.#waiting = true
    this.store.whenSynced(ticket, (ok, upTo) => this.#open(ok, upTo))
  }

  /** Tickets up to `upTo` are settled (`ok`: on disk; otherwise the write failed): send what they held. */
  #open(ok: boolean, upTo: number): void {
    this.#waiting = false
    const items = this.#items
    while (this.#head < items.length && !this.#closed) {
      const ticket = this.#tickets[this.#head]!
      if (ticket > upTo) return this.#wait(ticket)
      const item = items[this.#head++]!
      if (!isPacket(item)) { this.c.writeRaw(item); continue }
      if (item.cmd === 'puback' || item.cmd === 'pubcomp') this.acks--
      if (ok || ticket === 0 || !(item.cmd === 'puback' || item.cmd === 'pubrec') || (item.reasonCode ?? 0) >= 0x80) {
        this.c.write(item)
      } else if (this.c.version === 5) {
        const id = item.messageId!
        this.c.write(item.cmd === 'puback' ? puback(id, RC.UNSPECIFIED_ERROR) : pubrec(id, RC.UNSPECIFIED_ERROR))
      } else {
        this.#closed = true // a v3 client cannot be told "not stored": it reconnects and sends again
        this.c.conn.end()
      }
    }
    this.#items = []
    this.#tickets = []
    this.#head = 0
    if (this.#ending && !this.#closed) this.c.conn.end()
  }
}
