// The router decides who receives a message: trie match → no-local → QoS = min(pub, sub) → one copy per
// session (overlapping subscriptions merged) → one member per shared group, round robin.
import type { QoS } from '../codec/index.js'
import type { Message } from './message.js'
import type { BrokerSession, Subscription } from './session.js'
import { TopicTrie } from './topic-trie.js'

/** Where routed messages go; one fixed object, so the hot path allocates no closures. */
export interface RouteTarget {
  /** Hand `m` to `session` at `qos`; false when it was not delivered (read access denied, queue full). */
  deliver(session: BrokerSession, m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): boolean
}

export class Router {
  readonly #trie = new TopicTrie<Subscription>()
  readonly #rr = new Map<string, number>()
  readonly #matchPool: Subscription[][] = []
  readonly #targetPool: BrokerSession[][] = []
  #gen = 0

  constructor(private readonly target: RouteTarget) {}

  /** Route to `sub` from now on (its session owns it; Sessions keeps both in step). */
  add(sub: Subscription): void { this.#trie.add(sub.topicFilter, sub) }

  remove(sub: Subscription): void { this.#trie.remove(sub.topicFilter, (v) => v === sub) }

  /**
   * Route `m` published by `from` (undefined: the broker itself). Returns how many sessions matched,
   * so a v5 PUBACK can say "no matching subscribers".
   */
  route(m: Message, from: BrokerSession | undefined): number {
    const matches = this.#matchPool.pop() ?? []
    const targets = this.#targetPool.pop() ?? []
    this.#trie.match(m.topic, matches)
    const gen = ++this.#gen
    let shared: Map<string, Subscription[]> | undefined
    for (let i = 0; i < matches.length; i++) {
      const sub = matches[i]!
      if (sub.group !== undefined) {
        const key = `${sub.group}\u0000${sub.topicFilter}`
        const members = (shared ??= new Map()).get(key)
        if (members) members.push(sub)
        else shared.set(key, [sub])
        continue
      }
      this.#consider(sub, m, from, gen, targets)
    }
    if (shared) for (const [key, members] of shared) this.#consider(this.#pick(key, members), m, undefined, gen, targets)
    const matched = targets.length
    m.audience = matched
    for (let i = 0; i < targets.length; i++) {
      const s = targets[i]!
      this.target.deliver(s, m, s.routeQos, s.routeRetain, s.routeSubIds)
      s.routeSubIds = undefined
    }
    matches.length = 0
    targets.length = 0
    this.#matchPool.push(matches)
    this.#targetPool.push(targets)
    return matched
  }

  #consider(sub: Subscription, m: Message, from: BrokerSession | undefined, gen: number, targets: BrokerSession[]): void {
    const s = sub.session
    if (sub.noLocal && s === from) return // [MQTT-3.8.3-3]
    const qos = (m.qos < sub.qos ? m.qos : sub.qos) // [MQTT-3.8.4-6] downgrade to the subscription's QoS
    const retain = sub.retainAsPublished ? m.retain : false // [MQTT-3.3.1-12], [MQTT-3.3.1-13]
    if (s.routeGen !== gen) {
      s.routeGen = gen
      s.routeQos = qos
      s.routeRetain = retain
      s.routeSubIds = sub.id !== undefined ? [sub.id] : undefined
      targets.push(s)
      return
    }
    // overlapping subscriptions of one session: one copy at the highest QoS, all identifiers [MQTT-3.3.4-2], [MQTT-3.3.4-3]
    if (qos > s.routeQos) s.routeQos = qos
    if (retain) s.routeRetain = true
    if (sub.id !== undefined) (s.routeSubIds ??= []).push(sub.id)
  }

  /** Round robin over a shared group's members, preferring connected ones. */
  #pick(key: string, members: Subscription[]): Subscription {
    const start = this.#rr.get(key) ?? 0
    let chosen = members[start % members.length]!
    let next = start + 1
    for (let k = 0; k < members.length; k++) {
      const candidate = members[(start + k) % members.length]!
      if (candidate.session.client !== undefined) { chosen = candidate; next = start + k + 1; break }
    }
    this.#rr.set(key, next % members.length)
    return chosen
  }
}
