// 16-bit packet identifier allocator: 1..65535, wraps around, skips ids still in use [MQTT-2.2.1-3].

export class PacketIdAllocator {
  #next = 1
  readonly #inUse = new Set<number>()

  /** The next free id, or undefined when all 65535 are in use. */
  allocate(): number | undefined {
    if (this.#inUse.size >= 65535) return undefined
    for (;;) {
      const id = this.#next
      this.#next = id === 65535 ? 1 : id + 1
      if (!this.#inUse.has(id)) {
        this.#inUse.add(id)
        return id
      }
    }
  }

  /** Mark an id as taken (e.g. restored from a persisted session). */
  reserve(id: number): void { this.#inUse.add(id) }
  release(id: number): void { this.#inUse.delete(id) }
  has(id: number): boolean { return this.#inUse.has(id) }
  get size(): number { return this.#inUse.size }
}
