// 16-bit packet identifier allocator: 1..65535, wraps around, skips ids still in use [MQTT-2.2.1-3].

/** Shared and never written: an allocator gets its own set on its first id (most never allocate one). */
const NONE = new Set<number>()

export class PacketIdAllocator {
  #next = 1
  #inUse: Set<number> = NONE

  /** The next free id, or undefined when all 65535 are in use. */
  allocate(): number | undefined {
    if (this.#inUse.size >= 65535) return undefined
    for (;;) {
      const id = this.#next
      this.#next = id === 65535 ? 1 : id + 1
      if (!this.#inUse.has(id)) {
        this.reserve(id)
        return id
      }
    }
  }

  /**
   * The id `allocate()` would give, without taking it: libmosquitto numbers QoS 0 publishes too (the -d lines
   * show it), and they need no id kept in use (adding and deleting it was 8 % of `tspub -l`'s time).
   */
  nextFree(): number {
    for (let i = 0; i < 65536; i++) {
      const id = this.#next
      this.#next = id === 65535 ? 1 : id + 1
      if (!this.#inUse.has(id)) return id
    }
    return 0
  }

  /** Mark an id as taken (e.g. restored from a persisted session). */
  reserve(id: number): void {
    if (this.#inUse === NONE) this.#inUse = new Set()
    this.#inUse.add(id)
  }
  release(id: number): void { this.#inUse.delete(id) }
  has(id: number): boolean { return this.#inUse.has(id) }
  get size(): number { return this.#inUse.size }
}
