// A broker's bridges: every specification checked when the broker is created (so a bad one stops the start),
// all started at once, and all stopped first when the broker closes, before its connections go.
import type { Duplex } from 'node:stream'
import type { Clock } from '../../core/clock.js'
import type { InlinePublish } from '../broker.js'
import type { Log } from '../options.js'
import { Bridge } from './bridge.js'
import { checkDistinct, resolveBridge, type BridgeSpec } from './spec.js'

/** What a bridge needs of the broker it belongs to (the broker implements it). */
export interface BridgeHost {
  readonly log: Log
  readonly clock: Clock
  /** Serve one end of an in-memory stream as a trusted connection (the bridge's local side). */
  connect(stream: Duplex, bridgeName: string): void
  /** Publish as the broker itself (the bridge's state notifications on this broker). */
  publish(msg: InlinePublish): void
  /** QoS 1/2 messages the broker holds for a client id: in flight to it and queued for it. */
  held(clientId: string): number
  /** The broker's max_inflight_messages (0 = unlimited). */
  readonly maxInflight: number
  /** The broker's max_queued_messages (0 = unlimited). */
  readonly maxQueued: number
}

export class Bridges {
  readonly #bridges: Bridge[]

  /** Throws BridgeConfigError for a specification that cannot be used (TLS files are read here too). */
  constructor(host: BridgeHost, specs: readonly BridgeSpec[]) {
    const resolved = specs.map((s) => resolveBridge(s))
    checkDistinct(resolved)
    this.#bridges = resolved.map((b) => new Bridge(host, b))
  }

  start(): void {
    for (const b of this.#bridges) b.start()
  }

  async stop(): Promise<void> {
    await Promise.all(this.#bridges.map((b) => b.stop()))
  }
}
