// Runs the configured BrokerHooks: with several sets, any deny wins; absent methods have no opinion.
import type { AuthResult, BrokerHooks, ClientInfo, ConnectInfo } from './hooks.js'

export class HookChain {
  readonly #hooks: readonly BrokerHooks[]
  /** True when some hook set checks publishes (otherwise the QoS 0 path stays synchronous). */
  readonly checksPublish: boolean
  readonly checksRead: boolean
  readonly checksConnect: boolean

  constructor(hooks: BrokerHooks | BrokerHooks[] | undefined) {
    this.#hooks = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
    this.checksPublish = this.#hooks.some((h) => h.authorizePublish)
    this.checksRead = this.#hooks.some((h) => h.authorizeRead)
    this.checksConnect = this.#hooks.some((h) => h.authenticate)
  }

  async authenticate(c: ConnectInfo): Promise<AuthResult> {
    for (const h of this.#hooks) {
      if (!h.authenticate) continue
      const r = await h.authenticate(c)
      if (!r.ok) return r
    }
    return { ok: true }
  }

  async authorizePublish(c: ClientInfo, topic: string): Promise<boolean> {
    for (const h of this.#hooks) if (h.authorizePublish && !(await h.authorizePublish(c, topic))) return false
    return true
  }

  authorizeRead(c: ClientInfo, topic: string): boolean {
    for (const h of this.#hooks) if (h.authorizeRead && !h.authorizeRead(c, topic)) return false
    return true
  }
}
