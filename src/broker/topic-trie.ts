// A topic trie generic over the stored value, keyed by topic levels. It assumes valid input: topics and
// filters are validated once at the edge (src/codec/topics.ts). Subscriptions store filters and ask
// `match(topic)`; retained messages store topic names and ask `matchFilter(filter)`.

class TrieNode<V> {
  readonly children = new Map<string, TrieNode<V>>()
  values: V[] = []
  constructor(readonly parent: TrieNode<V> | undefined, readonly level: string) {}
}

export class TopicTrie<V> {
  readonly #root = new TrieNode<V>(undefined, '')
  #size = 0

  /** Number of stored values. */
  get size(): number { return this.#size }

  /** Store `value` under `key` (a filter or a topic name). */
  add(key: string, value: V): void {
    let node = this.#root
    for (const level of key.split('/')) {
      let next = node.children.get(level)
      if (!next) { next = new TrieNode(node, level); node.children.set(level, next) }
      node = next
    }
    node.values.push(value)
    this.#size++
  }

  /** The values stored under exactly `key`. */
  get(key: string): readonly V[] {
    return this.#find(key)?.values ?? []
  }

  /** Remove the values under `key` for which `predicate` holds; returns how many were removed. */
  remove(key: string, predicate: (v: V) => boolean): number {
    const node = this.#find(key)
    if (!node) return 0
    const before = node.values.length
    node.values = node.values.filter((v) => !predicate(v))
    const removed = before - node.values.length
    this.#size -= removed
    this.#prune(node)
    return removed
  }

  /**
   * Stored keys are filters: push every value whose filter matches `topic` into `out`.
   * First-level wildcards never match a topic starting with `$` [MQTT-4.7.2-1].
   */
  match(topic: string, out: V[] = []): V[] {
    this.#matchTopic(this.#root, topic.split('/'), 0, topic.charCodeAt(0) === 36 /* $ */, out)
    return out
  }

  /** Stored keys are topic names: push every value whose topic matches the filter `filter` into `out`. */
  matchFilter(filter: string, out: V[] = []): V[] {
    this.#matchFilter(this.#root, filter.split('/'), 0, out)
    return out
  }

  /** Every stored value (order unspecified). */
  *values(): IterableIterator<V> {
    const stack: TrieNode<V>[] = [this.#root]
    for (let node = stack.pop(); node; node = stack.pop()) {
      yield* node.values
      for (const child of node.children.values()) stack.push(child)
    }
  }

  #matchTopic(node: TrieNode<V>, levels: string[], i: number, dollar: boolean, out: V[]): void {
    const wildOk = i > 0 || !dollar
    if (i === levels.length) {
      for (const v of node.values) out.push(v)
      // 'sport/#' also matches 'sport' (the parent level) [MQTT-4.7.1-2]
      const hash = node.children.get('#')
      if (hash) for (const v of hash.values) out.push(v)
      return
    }
    const exact = node.children.get(levels[i]!)
    if (exact) this.#matchTopic(exact, levels, i + 1, dollar, out)
    if (!wildOk) return
    const plus = node.children.get('+')
    if (plus) this.#matchTopic(plus, levels, i + 1, dollar, out)
    const hash = node.children.get('#')
    if (hash) for (const v of hash.values) out.push(v)
  }

  #matchFilter(node: TrieNode<V>, levels: string[], i: number, out: V[]): void {
    if (i === levels.length) {
      for (const v of node.values) out.push(v)
      return
    }
    const level = levels[i]!
    if (level === '#') {
      if (i > 0) for (const v of node.values) out.push(v) // 'a/#' matches 'a'
      for (const [name, child] of node.children) {
        if (i === 0 && name.startsWith('$')) continue // [MQTT-4.7.2-1]
        this.#collect(child, out)
      }
    } else if (level === '+') {
      for (const [name, child] of node.children) {
        if (i === 0 && name.startsWith('$')) continue // [MQTT-4.7.2-1]
        this.#matchFilter(child, levels, i + 1, out)
      }
    } else {
      const child = node.children.get(level)
      if (child) this.#matchFilter(child, levels, i + 1, out)
    }
  }

  #collect(node: TrieNode<V>, out: V[]): void {
    for (const v of node.values) out.push(v)
    for (const child of node.children.values()) this.#collect(child, out)
  }

  #find(key: string): TrieNode<V> | undefined {
    let node: TrieNode<V> | undefined = this.#root
    for (const level of key.split('/')) {
      node = node.children.get(level)
      if (!node) return undefined
    }
    return node
  }

  #prune(node: TrieNode<V>): void {
    let n: TrieNode<V> = node
    while (n.parent && n.values.length === 0 && n.children.size === 0) {
      n.parent.children.delete(n.level)
      n = n.parent
    }
  }
}
