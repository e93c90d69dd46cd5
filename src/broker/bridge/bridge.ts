// One bridge: messages of the `out` lines from the local side to the remote, those of the `in` lines the other
// way, each QoS 1/2 message acknowledged to the side it came from only once the other side has taken it (the
// local broker acknowledges only what is on disk, with persistence). Both clients keep their sessions across
// reconnects, so what is unacknowledged is sent again, in order, after either side comes back. When to
// (re)connect follows mosquitto: restart_timeout, the addresses in turn, start_type automatic, lazy or once.
import type { Duplex } from 'node:stream'
import type { Client } from '../../client/client.js'
import type { ConnackPacket, PublishPacket, PublishProperties, QoS } from '../../codec/index.js'
import { publishSize } from '../../codec/publish-size.js'
import { isValidTopicName } from '../../codec/topics.js'
import { ConnackRefusedError, PacketTooLargeError } from '../../core/errors.js'
import { AddressRing, watchPrimary, type RemoteAddress } from './addresses.js'
import type { BridgeHost } from './bridges.js'
import { Notifications } from './notifications.js'
import { RestartDelay } from './restart-delay.js'
import { localSide, localSubscriptions, remoteSide, remoteSubscriptions } from './sides.js'
import type { ResolvedBridge } from './spec.js'
import { localTopicFor, remoteTopicFor } from './topic-map.js'

/** How long stop() lets each side flush before destroying it (real time: it bounds a socket, no MQTT rule). */
const STOP_GRACE_MS = 2000

/** What the remote said it takes (v5 CONNACK) and the bridge's own packet limit. */
interface RemoteLimits { qos: QoS; retain: boolean; packetSize: number }

export class Bridge {
  readonly #b: ResolvedBridge
  readonly #host: BridgeHost
  readonly #ring: AddressRing
  readonly #delay: RestartDelay
  readonly #notes: Notifications
  readonly #local: Client
  readonly #remote: Client
  #remoteStarted = false
  #stopped = false
  /** The remote side is connected. */
  #up = false
  #socket: Duplex | undefined
  /** Why the bridge itself is dropping the remote connection. */
  #dropping: 'idle' | 'primary' | undefined
  #limits: RemoteLimits
  /** Lazy: QoS 0 messages waiting for the remote side (they count towards the threshold). */
  #qos0Waiting = 0
  #lastTraffic = 0
  #idleTimer: unknown
  #stopWatch: (() => void) | undefined
  /** Ends whatever wait #retry is in (restart delay, lazy demand). */
  #wake: (() => void) | undefined
  #demand: (() => void) | undefined

  constructor(host: BridgeHost, b: ResolvedBridge) {
    this.#b = b
    this.#host = host
    this.#ring = new AddressRing(b.addresses)
    this.#delay = new RestartDelay(b.restart.base, b.restart.cap)
    this.#notes = new Notifications(host, b)
    this.#limits = { qos: 2, retain: true, packetSize: b.maxPacketSize }
    this.#local = localSide(host, b)
    this.#remote = remoteSide(host, b, this.#ring, this.#notes, {
      attempt: (a) => this.#attempt(a),
      opened: (s) => { this.#socket = s },
      next: (reason) => this.#retry(reason),
    })
  }

  start(): void {
    this.#notes.starting()
    this.#local.onMessage = (m) => this.#outbound(m)
    this.#local.onConnect = () => { this.#local.subscribe(localSubscriptions(this.#b, 2)).catch(() => {}) }
    this.#remote.onMessage = (m) => this.#inbound(m)
    this.#remote.onConnect = (c) => this.#connected(c)
    this.#local.start(true).then(() => { if (this.#b.startType !== 'lazy') this.#startRemote() }, () => {})
  }

  /** Stop both sides: `0` here, and the remote connection closed without DISCONNECT, so the remote publishes the will. */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#clearTimers()
    this.#wake?.()
    if (this.#up) this.#notes.down()
    this.#up = false
    if (this.#remoteStarted) await bounded(this.#remote.close(), () => this.#remote.destroy())
    await bounded(this.#local.disconnect(), () => this.#local.destroy())
  }

  #startRemote(): void {
    if (this.#remoteStarted || this.#stopped) return
    this.#remoteStarted = true
    this.#remote.start(true).catch(() => {}) // the outcome is the retry hook's business
  }

  #attempt(a: RemoteAddress): void {
    this.#host.log.write('notice', `Connecting bridge ${this.#b.name} (${a.host}:${a.port})`)
  }

  #connected(connack: ConnackPacket): void {
    const b = this.#b
    const log = this.#host.log
    this.#up = true
    this.#delay.reset()
    const p = connack.properties
    const remoteMax = p?.maximumPacketSize ?? 0
    this.#limits = {
      qos: (p?.maximumQoS ?? 2) as QoS,
      retain: p?.retainAvailable !== false,
      packetSize: b.maxPacketSize === 0 ? remoteMax : remoteMax === 0 ? b.maxPacketSize : Math.min(b.maxPacketSize, remoteMax),
    }
    if (log.debug) log.write('debug', `Received CONNACK on connection ${b.localClientId}.`)
    this.#notes.connected(this.#remote, this.#limits.qos, this.#limits.retain)
    // as mosquitto, line by line: SUBSCRIBE for `in`/`both`, UNSUBSCRIBE for `out` (it may have been `in` before)
    const subs = remoteSubscriptions(b, this.#limits.qos)
    for (const t of b.topics) {
      if (t.direction !== 'out') {
        const s = subs.shift()!
        if (log.debug) log.write('debug', `Bridge ${b.localClientId} sending SUBSCRIBE (Topic: ${s.topic}, QoS: ${s.qos})`)
        this.#remote.subscribe([s]).catch(() => {})
      } else if (b.attemptUnsubscribe) {
        if (log.debug) log.write('debug', `Bridge ${b.localClientId} sending UNSUBSCRIBE (Topic: ${t.remoteFilter})`)
        this.#remote.unsubscribe([t.remoteFilter]).catch(() => {})
      }
    }
    // the local retained messages of the `out` lines go to the remote at each connect (mosquitto's retain__queue)
    this.#local.subscribe(localSubscriptions(b, 0)).catch(() => {})
    if (!b.roundRobin && !this.#ring.onPrimary) {
      this.#stopWatch = watchPrimary(this.#ring.addresses[0]!, this.#host.clock, b.bindAddress, () => this.#drop('primary'))
    }
    if (b.startType === 'lazy') { this.#lastTraffic = this.#host.clock.now(); this.#armIdle() }
  }

  /** The remote client's reconnect hook: called after each failed attempt or lost connection. */
  async #retry(reason: Error | undefined): Promise<boolean> {
    const wasUp = this.#up
    const dropped = this.#dropping
    this.#up = false
    this.#dropping = undefined
    this.#socket = undefined
    this.#clearTimers()
    if (this.#stopped) return false
    this.#logFailure(reason, wasUp, dropped)
    if (wasUp) this.#notes.down()
    if (this.#b.startType === 'once') return false // mosquitto: not restarted once it failed
    if (dropped === 'primary') this.#ring.toPrimary()
    else this.#ring.advance()
    await this.#sleep(this.#delay.next())
    if (this.#b.startType === 'lazy') await this.#demandMet()
    return !this.#stopped
  }

  #logFailure(reason: Error | undefined, wasUp: boolean, dropped: 'idle' | 'primary' | undefined): void {
    const log = this.#host.log
    if (dropped === 'idle') return // logged when it was decided
    if (dropped === 'primary') return log.write('notice', `Bridge ${this.#b.name} returning to its primary address.`)
    if (wasUp) return log.write('notice', `Client ${this.#b.localClientId} closed its connection.`)
    if (reason instanceof ConnackRefusedError) { // mosquitto: "Connection Refused: not authorised"
      return log.write('error', reason.message.startsWith('Connection Refused') ? reason.message : `Connection Refused: ${reason.message}`)
    }
    log.write('error', `Error creating bridge: ${reason?.message.replace(/\.$/, '') ?? 'connection closed'}.`)
  }

  /** A message from this broker for the remote (an `out` line matched it). */
  #outbound(m: PublishPacket): void {
    if (this.#stopped) return
    const b = this.#b
    // its own state topic (notification_topic under an `out` line) is this broker's business, never the remote's
    if (b.notifications && m.topic === b.stateTopic) return this.#local.ack(m)
    this.#lastTraffic = this.#host.clock.now()
    const topic = remoteTopicFor(b.topics, m.topic)
    const payload = m.payload as Buffer
    const qos = (m.qos < this.#limits.qos ? m.qos : this.#limits.qos) as QoS
    const retain = m.retain && b.outgoingRetain && this.#limits.retain
    const properties = forwarded(m.properties)
    if (this.#tooLarge(topic, payload, qos, retain, properties)) return this.#dropTooLarge(m, topic)
    const lazy = b.startType === 'lazy'
    if (m.qos === 0) {
      // as mosquitto: a bridge that is not connected drops QoS 0, except a lazy one, which queues it
      if (!this.#up && !(lazy && (this.#host.maxQueued === 0 || this.#qos0Waiting < this.#host.maxQueued))) return
      this.#qos0Waiting++
      const done = () => { this.#qos0Waiting-- }
      this.#remote.publish(topic, payload, { qos, retain, ...(properties ? { properties } : {}) }).then(done, done)
    } else {
      // Refused as too large by the client: waiting for a reconnect whose CONNACK lowered the limit. Dropped, as
      // above; any other refusal is the connection's end, and the local side sends the message again later.
      this.#remote.publish(topic, payload, { qos, retain, ...(properties ? { properties } : {}) })
        .then(() => this.#local.ack(m), (e: unknown) => { if (e instanceof PacketTooLargeError) this.#dropTooLarge(m, topic) })
    }
    if (lazy && !this.#up) this.#checkDemand()
  }

  /** A message from the remote for this broker (an `in` line's subscription). */
  #inbound(m: PublishPacket): void {
    if (this.#stopped) return
    this.#lastTraffic = this.#host.clock.now()
    const topic = localTopicFor(this.#b.topics, m.topic)
    if (!isValidTopicName(topic)) { this.#remote.ack(m); return } // remapped to nothing: swallowed, as mosquitto
    const properties = forwarded(m.properties)
    this.#local.publish(topic, m.payload as Buffer, { qos: m.qos, retain: m.retain, ...(properties ? { properties } : {}) })
      .then(() => this.#remote.ack(m), () => {})
  }

  #tooLarge(topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: PublishProperties | undefined): boolean {
    const limit = this.#limits.packetSize
    if (limit === 0) return false
    const packet: PublishPacket = { cmd: 'publish', topic, payload, qos, retain, dup: false, ...(qos > 0 ? { messageId: 1 } : {}), ...(properties ? { properties } : {}) }
    return publishSize(packet, this.#b.protocolVersion) > limit
  }

  /** A message the remote cannot take (its Maximum Packet Size, or ours): acknowledged here, so it is not retried. */
  #dropTooLarge(m: PublishPacket, topic: string): void {
    if (this.#host.log.debug) this.#host.log.write('debug', `Bridge ${this.#b.name} dropped a too large PUBLISH on '${topic}' (${(m.payload as Buffer).length} bytes).`)
    this.#local.ack(m)
  }

  /** Lazy: messages waiting for the remote (held by the broker for the local side, and QoS 0 here). */
  #checkDemand(): void {
    const held = this.#host.held(this.#b.localClientId)
    const window = this.#host.maxInflight
    // once the local side's in-flight window is full the broker queues the rest itself: count that as enough
    if (held + this.#qos0Waiting < this.#b.threshold && !(window > 0 && held >= window)) return
    if (!this.#remoteStarted) this.#startRemote()
    else this.#demand?.()
  }

  #demandMet(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#demand = () => { this.#demand = undefined; this.#wake = undefined; resolve() }
      this.#wake = this.#demand
      this.#checkDemand()
    })
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const clock = this.#host.clock
      const timer = clock.setTimeout(() => { this.#wake = undefined; resolve() }, ms)
      this.#wake = () => { clock.clearTimeout(timer); this.#wake = undefined; resolve() }
    })
  }

  /** Lazy: leave after idle_timeout without a message either way (the remote then publishes the will). */
  #armIdle(): void {
    const clock = this.#host.clock
    const due = Math.max(0, this.#lastTraffic + this.#b.idleTimeoutMs - clock.now())
    this.#idleTimer = clock.setTimeout(() => {
      this.#idleTimer = undefined
      if (!this.#up) return
      if (clock.now() - this.#lastTraffic < this.#b.idleTimeoutMs) return this.#armIdle()
      this.#host.log.write('notice', `Bridge connection ${this.#b.localClientId} has exceeded idle timeout, disconnecting.`)
      this.#drop('idle')
    }, due)
  }

  #drop(why: 'idle' | 'primary'): void {
    if (!this.#up) return
    this.#dropping = why
    this.#socket?.destroy()
  }

  #clearTimers(): void {
    if (this.#idleTimer !== undefined) this.#host.clock.clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
    this.#stopWatch?.()
    this.#stopWatch = undefined
  }
}

/** v5 properties a message keeps across the bridge: not the alias or subscription ids of the hop it came by. */
function forwarded(p: PublishProperties | undefined): PublishProperties | undefined {
  if (p === undefined) return undefined
  const { topicAlias: _a, subscriptionIdentifier: _s, ...rest } = p
  return Object.keys(rest).length > 0 ? rest : undefined
}

function bounded(work: Promise<void>, giveUp: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => { giveUp(); resolve() }, STOP_GRACE_MS).unref()
    work.then(() => { clearTimeout(timer); resolve() }, () => { clearTimeout(timer); resolve() })
  })
}
