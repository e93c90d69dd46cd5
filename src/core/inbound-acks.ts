// Manual acknowledgement of inbound QoS 1/2 messages: the application says when a message is handled, and
// only then does the peer get the packet that hands the message over to us (PUBACK for QoS 1, PUBREC for
// QoS 2). Pure bookkeeping for the Session; no I/O.
//
// Why PUBREC and not PUBCOMP for QoS 2: once the sender has our PUBREC it discards the message and keeps only
// the packet id, so after a crash it would resend PUBREL, never the PUBLISH. Holding PUBREC until the message
// is handled (a bridge: stored by the local broker) is what keeps it resendable; PUBCOMP then answers PUBREL
// as usual. Acknowledgements leave in the order the PUBLISHes arrived [MQTT-4.6.0-2], [MQTT-4.6.0-3], so a
// message handled early waits for the ones before it.

/** One delivered message awaiting the application's ack. Opaque to the application. */
export interface InboundAck {
  readonly id: number
  readonly qos: 1 | 2
  /** The application has acknowledged it; the packet leaves once the ones before it are acknowledged too. */
  done: boolean
  /** The session it belonged to is gone (a new session started): acknowledging it sends nothing. */
  stale: boolean
}

export class InboundAcks {
  /** In arrival order. */
  readonly #pending: InboundAck[] = []
  readonly #byId = new Map<number, InboundAck>()

  /** A PUBLISH with this id was delivered and is not acknowledged yet (a resend is then ignored). */
  has(id: number): boolean { return this.#byId.has(id) }

  add(id: number, qos: 1 | 2): InboundAck {
    const a: InboundAck = { id, qos, done: false, stale: false }
    this.#pending.push(a)
    this.#byId.set(id, a)
    return a
  }

  /** Mark `a` handled; returns the acknowledgements that may leave now, in order. */
  ack(a: InboundAck, online: boolean): InboundAck[] {
    if (a.stale || a.done) return []
    a.done = true
    return online ? this.ready() : []
  }

  /** The acknowledged head of the queue (everything up to the first one still being handled). */
  ready(): InboundAck[] {
    const out: InboundAck[] = []
    while (this.#pending.length > 0 && this.#pending[0]!.done) {
      const a = this.#pending.shift()!
      this.#byId.delete(a.id)
      out.push(a)
    }
    return out
  }

  /** The peer forgot the session: nothing pending may be acknowledged any more. */
  clear(): void {
    for (const a of this.#pending) a.stale = true
    this.#pending.length = 0
    this.#byId.clear()
  }
}
