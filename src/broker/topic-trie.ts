// A topic trie generic over the stored value, keyed by topic levels. It assumes valid input: topics and
// filters are validated once at the edge (src/codec/topics.ts). Subscriptions store filters and ask
// `match(topic)`; retained messages store topic names and ask `matchFilter(filter)`.

class TrieNode<V> {
  readonly children = new Map<string, TrieNode<V>>()
  values: V[] = []
  constructor(readonly parent: TrieNode<V> | undefined, readonly level: string) {}
}

/** Stack marker: emit this node's values (and, in matchFilter, everything below it). */
const EMIT = -1

export class TopicTrie<V> {
  readonly #root = new TrieNode<V>(undefined, '')
  #size = 0
  /** match()'s stack, kept between calls (the routing hot path allocates nothing for it). */
  readonly #nodes: TrieNode<V>[] = []
  readonly #depths: number[] = []

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
   * Iterative (an explicit stack), so no topic depth can exhaust the call stack; the order is that of a
   * depth-first walk: the exact level, then `+`, then `#`.
   */
  match(topic: string, out: V[] = []): V[] {
    const levels = topic.split('/')
    const dollar = topic.charCodeAt(0) === 36 /* $ */
    const nodes = this.#nodes
    const depths = this.#depths
    nodes.push(this.#root)
    depths.push(0)
    while (nodes.length > 0) {
      const node = nodes.pop()!
      const i = depths.pop()!
      if (i === EMIT || i === levels.length) {
        for (const v of node.values) out.push(v)
        // 'sport/#' also matches 'sport' (the parent level) [MQTT-4.7.1-2]
        const hash = i === EMIT ? undefined : node.children.get('#')
        if (hash) for (const v of hash.values) out.push(v)
        continue
      }
      if (i > 0 || !dollar) {
        const hash = node.children.get('#')
        if (hash) { nodes.push(hash); depths.push(EMIT) }
        const plus = node.children.get('+')
        if (plus) { nodes.push(plus); depths.push(i + 1) }
      }
      const exact = node.children.get(levels[i]!)
      if (exact) { nodes.push(exact); depths.push(i + 1) }
    }
    return out
  }

  /** Stored keys are topic names: push every value whose topic matches the filter `filter` into `out` (iterative too). */
  matchFilter(filter: string, out: V[] = []): V[] {
    const levels = filter.split('/')
    const stack: Array<[TrieNode<V>, number]> = [[this.#root, 0]]
    const pushChildren = (node: TrieNode<V>, next: number, skipDollar: boolean) => {
      const kids = [...node.children]
      for (let k = kids.length - 1; k >= 0; k--) {
        const [name, child] = kids[k]!
        if (!skipDollar || name.charCodeAt(0) !== 36) stack.push([child, next]) // [MQTT-4.7.2-1]
      }
    }
    while (stack.length > 0) {
      const [node, i] = stack.pop()!
      if (i === EMIT) { // under a '#': this node and everything below it
        for (const v of node.values) out.push(v)
        pushChildren(node, EMIT, false)
        continue
      }
      if (i === levels.length) { for (const v of node.values) out.push(v); continue }
      const level = levels[i]!
      if (level === '#') {
        if (i > 0) for (const v of node.values) out.push(v) // 'a/#' matches 'a'
        pushChildren(node, EMIT, i === 0)
      } else if (level === '+') {
        pushChildren(node, i + 1, i === 0)
      } else {
        const child = node.children.get(level)
        if (child) stack.push([child, i + 1])
      }
    }
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
