// A bridge's remote addresses (mosquitto's `address a[:port] b[:port] …` and round_robin): each failed
// attempt or lost connection moves on to the next one, round and round. Without round_robin the first is the
// main one: while connected to another, mosquitto checks every 5 s whether the first takes TCP connections
// again, and if so leaves the other for it.
import net from 'node:net'
import type { Clock } from '../../core/clock.js'

export interface RemoteAddress { readonly host: string; readonly port: number }

/** How often a bridge on a secondary address checks the first one (mosquitto: 5 s). */
export const PRIMARY_RETRY_MS = 5000

export class AddressRing {
  #at = 0

  constructor(readonly addresses: readonly RemoteAddress[]) {}

  get current(): RemoteAddress { return this.addresses[this.#at]! }
  get onPrimary(): boolean { return this.#at === 0 }

  /** The attempt failed or the connection went: the next address is tried next. */
  advance(): void { this.#at = (this.#at + 1) % this.addresses.length }

  /** Back to the first address. */
  toPrimary(): void { this.#at = 0 }
}

/**
 * Every PRIMARY_RETRY_MS, try a TCP connection to `primary` (closed at once); `up()` is called the first time
 * one succeeds. Returns a function that stops the checks.
 */
export function watchPrimary(primary: RemoteAddress, clock: Clock, bindAddress: string | undefined, up: () => void): () => void {
  let stopped = false
  let timer: unknown
  let probe: net.Socket | undefined
  const schedule = () => { timer = clock.setTimeout(check, PRIMARY_RETRY_MS) }
  const check = () => {
    if (stopped) return
    probe = net.connect({ host: primary.host, port: primary.port, ...(bindAddress ? { localAddress: bindAddress } : {}) })
    probe.once('connect', () => { probe?.destroy(); if (!stopped) { stopped = true; up() } })
    probe.once('error', () => { probe?.destroy(); if (!stopped) schedule() })
  }
  schedule()
  return () => {
    stopped = true
    if (timer !== undefined) clock.clearTimeout(timer)
    probe?.destroy()
  }
}
