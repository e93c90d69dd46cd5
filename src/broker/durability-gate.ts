// With persistence, nothing leaves the broker that says "this is stored" before it is on disk: a PUBACK or
// PUBREC for a client's message, a PUBCOMP (the QoS 2 id is forgotten), a PUBREL (the outbound flow moved
// on), a QoS 2 PUBLISH to a subscriber (so a crash cannot make it arrive twice), SUBACK/UNSUBACK and CONNACK.
// One gate per connection holds such packets until the store has synced the records they depend on;
// anything the connection sends after them waits behind them, so its order on the wire never changes.
//
// Two things need no sync, because a crash before it could not lose anything acknowledged:
// - a QoS 1 PUBLISH to a subscriber: if the broker dies before its record is on disk, the publisher was not
//   acknowledged either (below) and sends it again; QoS 1 allows the duplicate. (A QoS 2 PUBLISH still
//   waits: a resend would arrive twice.)
// - the PUBACK of a QoS 1 message that nothing holds any more: every subscriber it was routed to (or none)
//   has acknowledged it, and it changed no retained message. Its records are then never written at all
//   (journal-store.ts drops an entry released before its frame), so the publisher's acknowledgement waits
//   for its subscribers' instead of the disk. PUBACKs still leave in the order their PUBLISHes came
//   [MQTT-4.6.0-2]: one that is free waits behind one that is not.
// When the store could not write, the acknowledgements of the client's PUBLISHes become refusals:
// v5 PUBACK/PUBREC 0x80, and a v3 client (which has no refusal to hear) is disconnected instead.
import type { Packet, Wire } from '../codec/index.js'
import { puback, pubrec } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import type { Message } from './message.js'
import type { DurableStore } from './persistence/durable-store.js'

/** Packets that say something is stored: with persistence they leave only once it is on disk. */
export function mustBeDurable(p: Packet): boolean {
  switch (p.cmd) {
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': case 'suback': case 'unsuback': case 'connack': return true
    case 'publish': return p.qos === 2
    default: return false
  }
}

/** A QoS 1 message whose PUBACK needs no sync: nothing holds it and it changed no retained message. */
export function isFree(m: Message): boolean {
  return m.refs === 0 && !m.retain
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
  /** For a PUBACK: its message, which frees it early once nothing holds it (isFree). */
  #messages: (Message | undefined)[] = []
  #head = 0
  /** The ticket a whenSynced call is registered for (0: none). */
  #waitingFor = 0
  /** Tickets up to these are on disk / failed to be written, as the store said. */
  #okUpTo = 0
  #failedUpTo = 0
  #ending = false
  #closed = false
  readonly #kick = () => this.#pump()
  /** PUBACKs and PUBCOMPs held here: the client still counts those messages as unacknowledged. */
  acks = 0

  constructor(private readonly c: GatedConnection, private readonly store: DurableStore) {}

  get busy(): boolean { return this.#head < this.#items.length }

  /** Queue `item`; `message`: the QoS 1 message a PUBACK acknowledges. */
  push(item: Packet | Wire, message?: Message): void {
    if (this.#closed) return
    const durable = isPacket(item) && mustBeDurable(item)
    if (this.#head > 1024) { // drop what was sent long ago
      this.#items = this.#items.slice(this.#head)
      this.#tickets = this.#tickets.slice(this.#head)
      this.#messages = this.#messages.slice(this.#head)
      this.#head = 0
    }
    this.#items.push(item)
    this.#tickets.push(durable ? this.store.ticket : 0)
    this.#messages.push(message)
    if (isPacket(item) && (item.cmd === 'puback' || item.cmd === 'pubcomp')) this.acks++
    if (this.#head === this.#items.length - 1) this.#pump() // it is first: nothing else will send it
  }

  /** Close the connection once everything held has gone out. */
  endAfter(): void { this.#ending = true }

  /** Send what may go, from the head; wait (for the store, or the head's message to be freed) at the first that may not. */
  #pump(): void {
    const items = this.#items
    while (this.#head < items.length && !this.#closed) {
      const ticket = this.#tickets[this.#head]!
      const m = this.#messages[this.#head]
      let ok = true
      if (ticket > this.#okUpTo && !(m !== undefined && isFree(m))) {
        if (ticket > this.#failedUpTo) return this.#wait(ticket, m)
        ok = false
      }
      const item = items[this.#head++]!
      if (m !== undefined) m.freed = undefined
      this.#send(item, ok || ticket === 0)
    }
    this.#items = []
    this.#tickets = []
    this.#messages = []
    this.#head = 0
    if (this.#ending && !this.#closed) this.c.conn.end()
  }

  #wait(ticket: number, m: Message | undefined): void {
    if (m !== undefined) m.freed = this.#kick
    if (this.#waitingFor >= ticket) return // the call registered for a later ticket covers this one
    this.#waitingFor = ticket
    this.store.whenSynced(ticket, (ok, upTo) => {
      if (ok) this.#okUpTo = Math.max(this.#okUpTo, upTo)
      else this.#failedUpTo = Math.max(this.#failedUpTo, upTo)
      if (this.#waitingFor <= upTo) this.#waitingFor = 0
      this.#pump()
    })
  }

  /** Past the gate; `ok`: what it depends on is on disk (otherwise an acknowledgement becomes a refusal). */
  #send(item: Packet | Wire, ok: boolean): void {
    if (!isPacket(item)) { this.c.writeRaw(item); return }
    if (item.cmd === 'puback' || item.cmd === 'pubcomp') this.acks--
    if (ok || !(item.cmd === 'puback' || item.cmd === 'pubrec') || (item.reasonCode ?? 0) >= 0x80) {
      this.c.write(item)
    } else if (this.c.version === 5) {
      const id = item.messageId!
      this.c.write(item.cmd === 'puback' ? puback(id, RC.UNSPECIFIED_ERROR) : pubrec(id, RC.UNSPECIFIED_ERROR))
    } else {
      this.#closed = true // a v3 client cannot be told "not stored": it reconnects and sends again
      this.c.conn.end()
    }
  }
}
