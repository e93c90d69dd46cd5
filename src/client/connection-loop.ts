// The client's connection loop: open a transport, CONNECT, run until the connection drops, and (with
// reconnect on) wait with capped backoff and start over, until the client ends. One loop per client; the
// session state lives in the client above it, so it survives every reconnect. Time goes through the Clock.
import type { ConnackPacket, Packet } from '../codec/index.js'
import { isBridgeConnect, type BridgeConnect } from '../codec/packets.js'
import { AbortError, ConnackRefusedError, ConnectionClosedError } from '../core/errors.js'
import { Link } from './link.js'
import { backoffDelay, type ResolvedClientOptions } from './options.js'

export interface LoopHandlers {
  /** A connection is up (CONNACK accepted); `link` carries every packet of it until `lost`. */
  connected(link: Link, connack: ConnackPacket): void
  packet(p: Packet, raw?: Buffer): void
  /** The current connection is gone; a reconnect may follow. */
  lost(reason: Error | undefined): void
  /** No connection will follow: the client is finished. */
  finished(reason: Error | undefined): void
}

/** A refusal or an abort is final: retrying would only be refused again (mosquitto_sub exits too). */
const isFinal = (e: unknown) => e instanceof ConnackRefusedError || e instanceof AbortError

/** A 3.1/3.1.1 broker's answer to a level it does not know: "unacceptable protocol version". */
const refusesLevel = (e: unknown) => e instanceof ConnackRefusedError && e.version !== 5 && e.reasonCode === 1

export class ConnectionLoop {
  #link: Link | undefined
  /** What each attempt sends; loses the bridge bit once a broker refused it. */
  #connectPacket: BridgeConnect
  #ending = false
  #finished = false
  /** Aborts the attempt in progress (end() during a connect). */
  #attempt: AbortController | undefined
  #wake: (() => void) | undefined

  constructor(private readonly o: ResolvedClientOptions, private readonly on: LoopHandlers, private readonly logId: () => string) {
    this.#connectPacket = o.connect
  }

  /**
   * Run the loop. The promise settles at the first CONNACK: it rejects if that first attempt fails and
   * `retryFirst` is false (connect(): a broker that is not there is an error, as for mosquitto's clients).
   */
  start(retryFirst: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      void this.#run(retryFirst, resolve, reject)
    })
  }

  /** Stop for good: no more attempts; `goodbye` (DISCONNECT) is flushed on a live connection first. */
  async end(goodbye?: Packet): Promise<void> {
    this.#ending = true
    this.#attempt?.abort()
    this.#wake?.()
    const link = this.#link
    if (link && !link.isClosed) {
      if (goodbye) link.send(goodbye)
      link.end()
      await link.closed
    }
  }

  destroy(): void {
    this.#ending = true
    this.#attempt?.abort()
    this.#wake?.()
    this.#link?.destroy()
  }

  async #run(retryFirst: boolean, resolve: () => void, reject: (e: Error) => void): Promise<void> {
    let firstDone = false
    let attempt = 0
    let reason: Error | undefined
    for (;;) {
      if (this.#ending) break
      try {
        const link = await this.#connect()
        attempt = 0
        if (!firstDone) { firstDone = true; resolve() }
        reason = await link.closed
        this.#link = undefined
        this.on.lost(reason)
      } catch (e) {
        reason = e instanceof Error ? e : new Error(String(e))
        if (!firstDone && !retryFirst) { this.#finish(reason); return reject(reason) }
        // as libmosquitto's bridge: a broker that does not know the bridge bit is asked again without it
        const unbridged = refusesLevel(reason) && isBridgeConnect(this.#connectPacket)
        if (unbridged) this.#connectPacket = { ...this.#connectPacket, bridgeMode: false }
        if (isFinal(reason) && !unbridged && !(this.o.reconnect?.next && reason instanceof ConnackRefusedError)) break
      }
      const r = this.o.reconnect
      if (this.#ending || !r) break
      const again = r.next ? await this.#until(r.next(reason)) : await this.#sleep(backoffDelay(attempt++, r)).then(() => true)
      if (!again || this.#ending) break
    }
    const final = this.#ending && !(reason instanceof ConnackRefusedError) ? undefined : reason
    if (!firstDone) reject(final ?? new ConnectionClosedError())
    this.#finish(final)
  }

  /** One attempt: transport, CONNECT, CONNACK. On success the link is current and `connected` was told. */
  async #connect(): Promise<Link> {
    const ac = new AbortController()
    this.#attempt = ac
    const signal = this.o.signal ? AbortSignal.any([this.o.signal, ac.signal]) : ac.signal
    try {
      const stream = await this.o.transport(signal)
      const link = new Link(stream, { protocolVersion: this.o.protocolVersion, clock: this.o.clock, debug: this.o.debug, logId: this.logId })
      const connack = await link.handshake(this.#connectPacket, this.o.connectTimeoutMs, signal)
      if (this.#ending) { link.destroy(); throw new AbortError() }
      this.#link = link
      this.on.connected(link, connack)
      link.start(connack.properties?.serverKeepAlive ?? this.o.keepalive, (p, raw) => this.on.packet(p, raw))
      return link
    } finally {
      this.#attempt = undefined
    }
  }

  /** The reconnect hook's answer, or false at once when the loop is ended meanwhile. */
  #until(decision: Promise<boolean>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.#wake = () => resolve(false)
      decision.then(resolve, () => resolve(false))
    }).finally(() => { this.#wake = undefined })
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const clock = this.o.clock
      const timer = clock.setTimeout(() => resolve(), ms)
      this.#wake = () => { clock.clearTimeout(timer); resolve() }
    }).finally(() => { this.#wake = undefined })
  }

  #finish(reason: Error | undefined): void {
    if (this.#finished) return
    this.#finished = true
    this.on.finished(reason)
  }
}
