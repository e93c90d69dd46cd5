// An async iterator over pushed values: `for await (const m of client.messages())`. Values wait in memory
// until read (with manualAck, the broker's Receive Maximum bounds how many can be unacknowledged).

export class MessageStream<T> implements AsyncIterableIterator<T> {
  readonly #queue: T[] = []
  #waiter: { resolve(r: IteratorResult<T>): void; reject(e: Error): void } | undefined
  #done = false
  #error: Error | undefined

  push(value: T): void {
    if (this.#done) return
    const w = this.#waiter
    if (w) {
      this.#waiter = undefined
      w.resolve({ value, done: false })
    } else {
      this.#queue.push(value)
    }
  }

  /** No more values; with `error`, the iteration throws it once the queue is read. */
  end(error?: Error): void {
    if (this.#done) return
    this.#done = true
    this.#error = error
    const w = this.#waiter
    this.#waiter = undefined
    if (w) this.#settle(w)
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift()!, done: false })
    return new Promise((resolve, reject) => {
      if (this.#done) this.#settle({ resolve, reject })
      else this.#waiter = { resolve, reject }
    })
  }

  /** Leaving a `for await` early: stop buffering. */
  return(): Promise<IteratorResult<T>> {
    this.#queue.length = 0
    this.end()
    return Promise.resolve({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> { return this }

  #settle(w: { resolve(r: IteratorResult<T>): void; reject(e: Error): void }): void {
    if (this.#error) {
      const e = this.#error
      this.#error = undefined
      w.reject(e)
    } else {
      w.resolve({ value: undefined, done: true })
    }
  }
}
