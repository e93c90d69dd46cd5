// How the broker is told to keep its state on disk (createBroker({ persistence }), mosquitto.conf's
// persistence / persistence_location / persistence_file).
import type { StoreIo } from './file-io.js'

export interface PersistenceOptions {
  /** The store file; created when missing (its directory must exist). */
  readonly file: string
  /** After a failed write, how often writing is tried again (ms on the broker's clock; default 1000). */
  readonly retryMs?: number
  /** The file operations (tests make them fail); node:fs by default. */
  readonly io?: StoreIo
}
