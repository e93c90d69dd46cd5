// What the broker needs of a durable store: it hears every change of sessions and retained messages
// (BrokerEvents), gives each change a ticket, and says when tickets are on disk (group commit).
import type { Message } from '../message.js'
import type { BrokerSessionSnapshot } from '../session.js'
import type { BrokerEvents } from '../session-events.js'

export interface DurableStore extends BrokerEvents {
  /** The newest ticket: what was recorded up to now is on disk once this ticket is. */
  readonly ticket: number
  /** Everything recorded so far is on disk (false while writes are pending, and while writing fails). */
  readonly synced: boolean
  /** Writing fails at the moment (disk full, permissions): QoS 1/2 PUBLISHes are refused until it works again. */
  readonly failing: boolean
  /** Call `fn(ok, upTo)` once every ticket up to at least `ticket` is settled: on disk (ok) or failed. */
  whenSynced(ticket: number, fn: (ok: boolean, upTo: number) => void): void
  /** Write out what is pending and close the file. */
  close(): Promise<void>
}

/** What a store read back at start-up. */
export interface LoadedState {
  readonly retained: readonly Message[]
  readonly sessions: readonly BrokerSessionSnapshot[]
}

/** The broker's whole durable state now, for compaction. */
export interface StateSource {
  retained(): Iterable<Message>
  /** Persistent sessions only. */
  sessions(): Iterable<import('../session.js').BrokerSession>
}
