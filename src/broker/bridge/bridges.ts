// A broker's bridges: every specification checked when the broker is created (so a bad one stops the start),
// all started at once, and all stopped first when the broker closes, before its connections go.
import { Bridge } from './bridge.js'
import type { BridgeHost } from './host.js'
import { checkDistinct, resolveBridge, type BridgeSpec } from './spec.js'

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
