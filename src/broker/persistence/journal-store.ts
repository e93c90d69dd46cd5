// The durable store: an append-only journal of the broker's changes, one frame per group commit, with
// compaction into a fresh snapshot file now and then.
//
// Why a journal written here rather than an embedded database: the rule that matters is "sync before
// acknowledging, and batch the syncs across all clients". A journal does exactly one positioned write and
// one fdatasync per batch, off the main thread (libuv's pool), while the broker goes on; better-sqlite3 would
// block the event loop on every commit, and LevelDB-style stores bring a native build. See README.md for
// the numbers measured.
//
// Group commit: every change that needs to be durable before something is sent takes a ticket; the
// changes gathered while the last frame was written (or over two event-loop turns) are written as one
// frame and synced once; then every ticket up to it is settled and the gates of all connections open
// together. Outbound entries are encoded only when the frame is written, so an entry queued, sent and
// acknowledged between two frames is written once or never.
import type { Clock } from '../../core/clock.js'
import { unrefTimer } from '../../core/clock.js'
import type { Outbound } from '../../core/session.js'
import type { Delivery, Message } from '../message.js'
import type { Log } from '../options.js'
import type { BrokerSession, Subscription } from '../session.js'
import { Writer } from './binary.js'
import type { DurableStore, LoadedState, StateSource } from './durable-store.js'
import { nodeStoreIo, type StoreFile, type StoreIo } from './file-io.js'
import { PersistenceError, fileHeader, frameHeader } from './file-format.js'
import { toLoadedState } from './loaded-state.js'
import type { PersistenceOptions } from './options.js'
import {
  writeEnd, writeInbound, writeMessage, writeOut, writeOutDone, writeRetain, writeSession, writeSub, writeUnsub,
} from './records.js'
import { recoverStore } from './recover.js'

export interface StoreContext {
  readonly clock: Clock
  readonly log: Log
  /** The broker's durable state now (for compaction). */
  readonly state: StateSource
  /** Put what was read back into the broker (called once, inside openJournalStore). */
  restore(loaded: LoadedState): void
}

/** Compact once the file is past this size and past COMPACT_RATIO × the last snapshot. */
const COMPACT_MIN_BYTES = 8 * 1024 * 1024
const COMPACT_RATIO = 2
/** A snapshot is cut into frames of about this size (a frame's length is 32 bits). */
const SNAPSHOT_FRAME_BYTES = 16 * 1024 * 1024

/** Read the store back (synchronously, before the broker serves anyone) and open it for writing. */
export function openJournalStore(o: PersistenceOptions, ctx: StoreContext): DurableStore {
  return new JournalStore(o, ctx)
}

interface Waiter { ticket: number; fn: (ok: boolean, upTo: number) => void }

class JournalStore implements DurableStore {
  readonly #path: string
  readonly #io: StoreIo
  readonly #ctx: StoreContext
  readonly #retryMs: number
  #file: StoreFile | undefined
  #ticket = 0
  #synced = 0
  #failing = false
  #loading = true
  #closed = false
  /** Records of the frame being gathered. */
  readonly #w = new Writer()
  /** Outbound entries changed since the last frame (encoded when it is written), and those released. */
  #dirty = new Map<Outbound<Delivery>, BrokerSession>()
  #released = new Set<Outbound<Delivery>>()
  /** Entries the file holds (an entry never written needs no "done" record). */
  #written = new WeakSet<Outbound<Delivery>>()
  #waiters: Waiter[] = []
  #flushing: Promise<void> | undefined
  #scheduled = false
  #compactDue = false
  #snapshotBytes = 0
  #retryTimer: unknown
  /** Message numbers at or above this are written in the current file. */
  #firstMessageId = 1
  #nextMessageId = 1
  #nextSessionNo = 1
  /** Group commits done and the tickets they settled (logged at close: what batching bought). */
  #frames = 0
  #settledTickets = 0

  constructor(o: PersistenceOptions, ctx: StoreContext) {
    this.#path = o.file
    this.#io = o.io ?? nodeStoreIo
    this.#ctx = ctx
    this.#retryMs = o.retryMs ?? 1000
    try {
      this.#load()
    } catch (e) {
      if (e instanceof PersistenceError) throw new PersistenceError(`Error: persistence file ${this.#path}: ${e.message}.`)
      throw new PersistenceError(`Error: unable to use the persistence file ${this.#path}: ${describe(e)}.`)
    }
  }

  get ticket(): number { return this.#ticket }
  get synced(): boolean { return !this.#failing && this.#synced >= this.#ticket }
  get failing(): boolean { return this.#failing }

  whenSynced(ticket: number, fn: (ok: boolean, upTo: number) => void): void {
    if (this.#failing) { setImmediate(() => fn(false, this.#ticket)); return }
    if (ticket <= this.#synced) { fn(true, this.#synced); return }
    this.#waiters.push({ ticket, fn })
  }

  // ---- events ------------------------------------------------------------------------------------------

  held(s: BrokerSession, e: Outbound<Delivery>): void { this.#entry(s, e) }
  changed(s: BrokerSession, e: Outbound<Delivery>): void { this.#entry(s, e) }

  released(s: BrokerSession, e: Outbound<Delivery>): void {
    if (s.storeNo === 0 || this.#loading) return
    if (this.#written.has(e)) {
      this.#dirty.set(e, s)
      this.#released.add(e)
    } else this.#dirty.delete(e)
    this.#schedule() // no ticket: nothing waits for a release to be on disk
  }

  inbound(s: BrokerSession, id: number, added: boolean): void {
    const w = this.#records(s)
    if (w) writeInbound(w, s.storeNo, id, added)
  }

  opened(): void {}

  updated(s: BrokerSession): void {
    if (this.#loading) return
    if (!s.persistent) {
      if (s.storeNo !== 0) this.ended(s) // v5: a resumed session that now ends with its connection
      return
    }
    if (s.storeNo === 0) return this.#track(s)
    const w = this.#records(s)
    if (!w) return
    if (s.will) this.#message(w, s.will.message)
    writeSession(w, s)
  }

  ended(s: BrokerSession): void {
    const w = this.#records(s)
    if (w) writeEnd(w, s.storeNo)
    s.storeNo = 0
  }

  subscribed(s: BrokerSession, sub: Subscription): void {
    const w = this.#records(s)
    if (w) writeSub(w, s.storeNo, sub)
  }

  unsubscribed(s: BrokerSession, sub: Subscription): void {
    const w = this.#records(s)
    if (w) writeUnsub(w, s.storeNo, sub.filter)
  }

  retained(topic: string, current: Message | undefined): void {
    if (this.#loading || isSys(topic)) return
    this.#bump()
    if (this.#failing) return
    if (current) this.#message(this.#w, current)
    writeRetain(this.#w, topic, current ? current.storeId : 0)
  }

  // ---- writing -----------------------------------------------------------------------------------------

  /** The writer for a record about session `s`, with a ticket taken; undefined when nothing is to be written. */
  #records(s: BrokerSession): Writer | undefined {
    if (s.storeNo === 0 || this.#loading) return undefined
    this.#bump()
    return this.#failing ? undefined : this.#w
  }

  #entry(s: BrokerSession, e: Outbound<Delivery>): void {
    if (s.storeNo === 0 || this.#loading) return
    this.#bump()
    if (!this.#failing) this.#dirty.set(e, s)
  }

  /** A session starts to be kept: write all of it (it may have been resumed with state already). */
  #track(s: BrokerSession): void {
    s.storeNo = this.#nextSessionNo++
    this.#bump()
    if (!this.#failing) this.#writeWholeSession(this.#w, s, (e) => this.#dirty.set(e, s))
  }

  #writeWholeSession(w: Writer, s: BrokerSession, onEntry: (e: Outbound<Delivery>) => void): void {
    if (s.will) this.#message(w, s.will.message)
    writeSession(w, s)
    for (const sub of s.subscriptions.values()) writeSub(w, s.storeNo, sub)
    for (const id of s.qos.inboundIds()) writeInbound(w, s.storeNo, id, true)
    for (const e of s.qos.pending()) onEntry(e)
  }

  /** Write `m` into the current file unless it is already there. */
  #message(w: Writer, m: Message): void {
    if (m.storeId >= this.#firstMessageId) return
    m.storeId = this.#nextMessageId++
    writeMessage(w, m)
  }

  #writeEntry(w: Writer, s: BrokerSession, e: Outbound<Delivery>): void {
    const d = e.tag
    this.#message(w, d.message)
    writeOut(w, s.storeNo, { seq: e.seq, msgId: d.message.storeId, qos: e.qos, retain: d.retain, id: e.id, state: e.state, subIds: d.subIds })
    this.#written.add(e)
  }

  #bump(): void {
    this.#ticket++
    this.#schedule()
  }

  /**
   * The next frame is written one event-loop turn after the turn that gathered its first change: the socket
   * reads in between bring the subscribers' PUBACKs of what was just delivered, and an entry released before
   * its frame is never written (its publisher's PUBACK needs no sync then: durability-gate.ts). Measured on
   * bench/broker.sh durable, interleaved: 180k -> 207k msg/s, half the bytes written; a second turn bought
   * nothing more.
   */
  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#failing || this.#closed) return
    this.#scheduled = true
    setImmediate(() => setImmediate(() => { this.#scheduled = false; this.#flushing ??= this.#flush().finally(() => this.#afterFlush()) }))
  }

  #afterFlush(): void {
    this.#flushing = undefined
    if (!this.#failing && (this.#w.length > 0 || this.#dirty.size > 0 || this.#synced < this.#ticket)) this.#schedule()
  }

  /** One group commit: everything gathered since the last one, as one frame (or a whole new snapshot). */
  async #flush(): Promise<void> {
    const upTo = this.#ticket
    try {
      if (this.#compactDue) await this.#compact()
      else {
        for (const [e, s] of this.#dirty) {
          if (s.storeNo === 0) continue // its session ended: the END record covers it
          if (this.#released.has(e)) writeOutDone(this.#w, s.storeNo, e.seq)
          else this.#writeEntry(this.#w, s, e)
        }
        this.#dirty = new Map()
        this.#released = new Set()
        const body = this.#w.take()
        if (body.length > 0) await this.#file!.append([frameHeader(body), body])
        const size = this.#file!.size
        if (size > COMPACT_MIN_BYTES && size > COMPACT_RATIO * this.#snapshotBytes) this.#compactDue = true
      }
      this.#settle(true, upTo)
    } catch (e) {
      this.#fail(e)
    }
  }

  #settle(ok: boolean, upTo: number): void {
    if (ok) {
      this.#frames++
      this.#settledTickets += upTo - this.#synced
      this.#synced = upTo
    }
    const due = this.#waiters.filter((w) => w.ticket <= upTo)
    this.#waiters = this.#waiters.filter((w) => w.ticket > upTo)
    for (const w of due) w.fn(ok, upTo)
  }

  /** Write the whole state into a new file that replaces the old one (atomically) and goes on from there. */
  async #compact(): Promise<void> {
    const chunks = this.#snapshot()
    const old = this.#file
    this.#file = undefined
    await old?.close().catch(() => {})
    this.#file = await this.#io.replace(this.#path, chunks)
    this.#compactDue = false
  }

  /** The whole durable state as frames of a fresh file; what was gathered for the next frame is part of it. */
  #snapshot(): Buffer[] {
    this.#firstMessageId = this.#nextMessageId
    this.#w.take()
    this.#dirty = new Map()
    this.#released = new Set()
    this.#written = new WeakSet()
    const chunks = [fileHeader()]
    const w = new Writer(64 * 1024)
    const cut = () => {
      if (w.length < SNAPSHOT_FRAME_BYTES) return
      const body = w.take()
      chunks.push(frameHeader(body), body)
    }
    for (const m of this.#ctx.state.retained()) {
      if (isSys(m.topic)) continue
      this.#message(w, m)
      writeRetain(w, m.topic, m.storeId)
      cut()
    }
    for (const s of this.#ctx.state.sessions()) {
      if (s.storeNo === 0) s.storeNo = this.#nextSessionNo++
      this.#writeWholeSession(w, s, (e) => { this.#writeEntry(w, s, e); cut() })
      cut()
    }
    if (w.length > 0) { const body = w.take(); chunks.push(frameHeader(body), body) }
    this.#snapshotBytes = chunks.reduce((n, c) => n + c.length, 0)
    return chunks
  }

  /** A write failed: refuse what waits, log once for the episode, and try a fresh snapshot now and then. */
  #fail(err: unknown): void {
    if (!this.#failing) {
      this.#ctx.log.write('error', `Error: unable to write the persistence file ${this.#path}: ${describe(err)}; QoS 1 and 2 messages are refused until it can be written.`)
    }
    this.#failing = true
    this.#compactDue = true
    this.#settle(false, this.#ticket)
    if (!this.#closed) this.#armRetry()
  }

  #armRetry(): void {
    const clock = this.#ctx.clock
    if (this.#retryTimer !== undefined) clock.clearTimeout(this.#retryTimer)
    this.#retryTimer = unrefTimer(clock.setTimeout(() => {
      this.#retryTimer = undefined
      this.#flushing ??= this.#retry().finally(() => this.#afterFlush())
    }, this.#retryMs))
  }

  async #retry(): Promise<void> {
    const upTo = this.#ticket
    try {
      await this.#compact()
    } catch {
      if (!this.#closed) this.#armRetry()
      return
    }
    this.#failing = false
    this.#ctx.log.write('notice', `The persistence file ${this.#path} can be written again.`)
    this.#settle(true, upTo)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#retryTimer !== undefined) this.#ctx.clock.clearTimeout(this.#retryTimer)
    await this.#flushing
    if (this.#failing) {
      await this.#retry().catch(() => {})
    } else if (this.#w.length > 0 || this.#dirty.size > 0) {
      await this.#flush()
    }
    await this.#file?.close()
    this.#file = undefined
    if (this.#frames > 0) {
      this.#ctx.log.write('information', `Persistence: ${this.#settledTickets} changes written in ${this.#frames} syncs (${(this.#settledTickets / this.#frames).toFixed(1)} per sync).`)
    }
  }

  // ---- start-up ----------------------------------------------------------------------------------------

  #load(): void {
    const log = this.#ctx.log
    const { image, file, bytes } = recoverStore(this.#path, this.#io, log, this.#ctx.clock)
    this.#file = file
    this.#snapshotBytes = bytes
    const loaded = toLoadedState(image)
    if (loaded.missing > 0) log.write('error', `Error: persistence file ${this.#path} refers to ${loaded.missing} messages it does not hold; they are left out.`)
    this.#nextMessageId = image.maxMessageId + 1
    this.#nextSessionNo = image.maxSessionNo + 1
    this.#ctx.restore(loaded)
    for (const s of this.#ctx.state.sessions()) {
      s.storeNo = loaded.numbers.get(s.clientId) ?? 0
      for (const e of s.qos.pending()) this.#written.add(e)
    }
    this.#loading = false
    if (file === undefined) this.#file = this.#io.replaceSync(this.#path, this.#snapshot())
  }
}

/** The broker's own $SYS tree is published afresh after every start: it is not kept. */
function isSys(topic: string): boolean { return topic.startsWith('$SYS/') }

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  return e?.code ?? (err instanceof Error ? err.message : String(err))
}
