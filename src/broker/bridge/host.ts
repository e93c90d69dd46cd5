// What a bridge needs of the broker it belongs to (the broker implements it; tests may fake it).
import type { Duplex } from 'node:stream'
import type { Clock } from '../../core/clock.js'
import type { InlinePublish } from '../broker.js'
import type { Log } from '../options.js'

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
