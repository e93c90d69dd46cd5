// A StoreIo for tests: the real files underneath, plus failures on demand (disk full), a crash (nothing
// more reaches the disk, as after kill -9), and a hold on appends (to see that nothing is acknowledged early).
import { nodeStoreIo, type StoreFile, type StoreIo } from '../../src/broker/persistence/file-io.js'

export class TestStoreIo implements StoreIo {
  /** While set, every write fails with this errno code. */
  failWith: string | undefined
  #crashed = false
  #held: (() => void)[] | undefined
  #appendStarted: (() => void)[] = []
  appends = 0

  /** From now on nothing is written: the process "died". */
  crash(): void { this.#crashed = true }

  /** Appends wait until the returned function is called. */
  hold(): () => void {
    this.#held = []
    return () => {
      const waiting = this.#held ?? []
      this.#held = undefined
      for (const go of waiting) go()
    }
  }

  /** Resolves when the next append starts. */
  nextAppend(): Promise<void> { return new Promise((resolve) => this.#appendStarted.push(resolve)) }

  read(path: string): Buffer | undefined { return nodeStoreIo.read(path) }
  keepAside(path: string, suffix: string): string { return nodeStoreIo.keepAside(path, suffix) }
  open(path: string, validLength: number): StoreFile { return this.#wrap(nodeStoreIo.open(path, validLength)) }
  replaceSync(path: string, chunks: readonly Buffer[]): StoreFile { return this.#wrap(nodeStoreIo.replaceSync(path, chunks)) }

  async replace(path: string, chunks: readonly Buffer[]): Promise<StoreFile> {
    this.#check()
    return this.#wrap(await nodeStoreIo.replace(path, chunks))
  }

  #check(): void {
    if (this.#crashed) throw Object.assign(new Error('crashed'), { code: 'ECRASHED' })
    if (this.failWith) throw Object.assign(new Error(this.failWith), { code: this.failWith })
  }

  #wrap(file: StoreFile): StoreFile {
    return {
      get size() { return file.size },
      append: async (chunks) => {
        this.appends++
        for (const f of this.#appendStarted.splice(0)) f()
        if (this.#held) await new Promise<void>((resolve) => this.#held!.push(resolve))
        this.#check()
        await file.append(chunks)
      },
      close: () => file.close(),
    }
  }
}
