// Runs the configured BrokerHooks: with several sets, any deny wins; absent methods have no opinion.
import type { AuthResult, BrokerHooks, ClientInfo, ConnectInfo } from './hooks.js'

export class HookChain {
  readonly #hooks: readonly BrokerHooks[]
  /** True when some hook set checks publishes (otherwise the QoS 0 path stays synchronous). */
  readonly checksPublish: boolean
  readonly checksRead: boolean
  readonly checksSubscribe: boolean
  readonly checksConnect: boolean

  constructor(hooks: BrokerHooks | BrokerHooks[] | undefined) {
    this.#hooks = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
    this.checksPublish = this.#hooks.some((h) => h.authorizePublish)
    this.checksRead = this.#hooks.some((h) => h.authorizeRead)
    this.checksSubscribe = this.#hooks.some((h) => h.authorizeSubscribe || h.authorizeRead)
    this.checksConnect = this.#hooks.some((h) => h.authenticate)
  }

  /** Does some hook set implement this v5 Authentication Method [MQTT-4.12.0-1]? */
  supportsAuthenticationMethod(method: string): boolean {
    return this.#hooks.some((h) => h.authenticate !== undefined && h.authenticationMethods?.includes(method) === true)
  }

  async authenticate(c: ConnectInfo): Promise<AuthResult> {
    let data: Buffer | undefined
    for (const h of this.#hooks) {
      if (!h.authenticate) continue
      const r = await h.authenticate(c)
      if (!r.ok) return r
      data = r.authenticationData ?? data
    }
    return data === undefined ? { ok: true } : { ok: true, authenticationData: data }
  }

  /** Synchronous while every hook answers synchronously (an acl_file does), so the publish path stays sync. */
  authorizePublish(c: ClientInfo, topic: string): boolean | Promise<boolean> {
    const hooks = this.#hooks
    for (let i = 0; i < hooks.length; i++) {
      const r = hooks[i]!.authorizePublish?.(c, topic)
      if (r instanceof Promise) return this.#publishRest(r, i + 1, c, topic)
      if (r === false) return false
    }
    return true
  }

  async #publishRest(pending: Promise<boolean>, from: number, c: ClientInfo, topic: string): Promise<boolean> {
    if (!(await pending)) return false
    const hooks = this.#hooks
    for (let i = from; i < hooks.length; i++) {
      const h = hooks[i]!
      if (h.authorizePublish && !(await h.authorizePublish(c, topic))) return false
    }
    return true
  }

  authorizeRead(c: ClientInfo, topic: string): boolean {
    for (const h of this.#hooks) if (h.authorizeRead && !h.authorizeRead(c, topic)) return false
    return true
  }

  authorizeSubscribe(c: ClientInfo, filter: string): boolean {
    const isTopic = !filter.includes('+') && !filter.includes('#')
    for (const h of this.#hooks) {
      if (h.authorizeSubscribe) { if (!h.authorizeSubscribe(c, filter)) return false }
      else if (h.authorizeRead && isTopic && !h.authorizeRead(c, filter)) return false
    }
    return true
  }
}
