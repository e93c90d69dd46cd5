// A raw MQTT client with a persistent session kept in this process across broker restarts, built on the
// project's PacketConnection and pure Session: it reconnects when the test says so (to a new port), resends
// what is unacknowledged with DUP, and de-duplicates inbound QoS 2 as a real receiver must. It records what
// the broker acknowledged and what it delivered, so crash tests can check that nothing acknowledged is lost.
import net from 'node:net'
import type { Packet, ProtocolVersion, PublishPacket, QoS } from '../../src/codec/index.js'
import { PacketConnection } from '../../src/core/connection.js'
import { Session, type Action } from '../../src/core/session.js'

interface Out { readonly topic: string; readonly payload: string; readonly retain: boolean }

export class DurableTestClient {
  readonly session: Session<Out>
  /** Payloads the broker took responsibility for: PUBACK (QoS 1) or PUBREC (QoS 2). */
  readonly acked: string[] = []
  /** Payloads delivered to us (a QoS 2 resend the receiver already has is not delivered again). */
  readonly received: { topic: string; payload: string; qos: QoS }[] = []
  #conn: PacketConnection | undefined
  #connack: ((present: boolean) => void) | undefined
  #suback: (() => void) | undefined
  #closed: Promise<void> = Promise.resolve()

  constructor(readonly clientId: string, readonly version: ProtocolVersion = 4, window = 10) {
    this.session = new Session<Out>({ maxInflight: window })
  }

  get connected(): boolean { return this.#conn !== undefined && !this.#conn.closed }
  /** Messages still owed to the broker (in flight or queued here). */
  get pending(): number { return this.session.inflightCount + this.session.queuedCount }

  /** Connect with a persistent session; resolves with the session-present flag once resumed. */
  async connect(port: number): Promise<boolean> {
    const socket = net.connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
    socket.on('error', () => {})
    socket.setNoDelay(true)
    let gone!: () => void
    this.#closed = new Promise<void>((resolve) => { gone = resolve })
    this.#conn = new PacketConnection(socket, { packet: (p) => this.#onPacket(p), close: () => { this.session.suspend(); gone() } }, this.version)
    const present = new Promise<boolean>((resolve) => { this.#connack = resolve })
    this.#conn.send({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: this.version, clientId: this.clientId, clean: false, keepalive: 60,
      ...(this.version === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
    })
    const p = await present
    this.#run(this.session.resume())
    return p
  }

  /** Resolves when the connection is gone (at once if it is). */
  whenClosed(): Promise<void> { return this.#closed }

  disconnect(): void { this.#conn?.end() }

  subscribe(filter: string, qos: QoS): Promise<void> {
    const done = new Promise<void>((resolve) => { this.#suback = resolve })
    this.#conn!.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos }] })
    return done
  }

  publish(topic: string, payload: string, qos: 1 | 2, retain = false): void {
    const actions = this.session.publish({ topic, payload, retain }, qos)
    if (actions === null) throw new Error('queue full')
    if (this.connected) this.#run(actions)
  }

  #run(actions: Action<Out>[]): void {
    for (const a of actions) {
      if (!this.connected) return
      if (a.kind === 'send') this.#conn!.send(a.packet)
      else if (a.kind === 'publish') {
        const o = a.entry.tag
        this.#conn!.send({ cmd: 'publish', topic: o.topic, payload: Buffer.from(o.payload), qos: a.entry.qos, retain: o.retain, dup: a.dup, messageId: a.entry.id })
      } else if (a.kind === 'deliver') {
        const m = a.message
        this.received.push({ topic: m.topic, payload: (m.payload as Buffer).toString(), qos: m.qos })
      } else if (a.kind === 'settled' && a.entry.qos === 1 && a.reasonCode < 0x80) this.acked.push(a.entry.tag.payload)
    }
  }

  #onPacket(p: Packet): void {
    switch (p.cmd) {
      case 'connack': return this.#connack?.(p.sessionPresent)
      case 'suback': return this.#suback?.()
      case 'publish': return this.#run(this.session.onPublish(p as PublishPacket))
      case 'pubrel': return this.#run(this.session.onPubrel(p))
      case 'puback': return this.#run(this.session.onPuback(p))
      case 'pubrec': {
        const e = this.session.pending().find((x) => x.id === p.messageId && x.state === 'pubrec')
        if (e && (p.reasonCode ?? 0) < 0x80) this.acked.push(e.tag.payload)
        return this.#run(this.session.onPubrec(p))
      }
      case 'pubcomp': return this.#run(this.session.onPubcomp(p))
      default: return
    }
  }
}
