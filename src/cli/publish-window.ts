// The one publishing loop of tspub's line modes (-l, -l --topic-separator, --ndjson). Every complete line of
// a stdin chunk is taken at once and published without waiting for the one before, so a chunk's messages
// leave in one write; at most `window` (-M) publishes are outstanding, and while the window is full stdin is
// not read (backpressure reaches the writer of the pipe). Order is kept: the client's session sends in order,
// and resends what was unacknowledged after a reconnect.
import type { Readable } from 'node:stream'
import type { PublishManyResult, PublishResult } from '../client/client.js'
import type { Clock } from '../core/clock.js'
import { PacketTooLargeError } from '../core/errors.js'
import { LineSplitter } from './input.js'
import { LineError } from './line-error.js'
import { sleep } from './replay-pacer.js'

export interface WindowOptions<M> {
  /** Publishes outstanding at once (-M; at least 1). */
  window: number
  /** Line `lineNo` (from 1) → its message; undefined: nothing to send. A malformed line throws a LineError. */
  parse(line: Buffer, lineNo: number): M | undefined
  /** Publish: resolves with the broker's answer, rejects when the client is finished. */
  send(m: M): Promise<PublishResult>
  /**
   * Publish several at once, one answer for all, which must mean what send()'s would for each (QoS 0: written):
   * the lines of a synchronous run go in one call, not one promise each. Absent: send() each.
   */
  sendMany?: (ms: M[]) => Promise<PublishManyResult>
  /** The broker refused a message (MQTT v5 reason code >= 0x80). */
  refused(r: PublishResult): void
  /** ms to wait before sending `m` (replay timing); absent: never wait. */
  wait?: (m: M) => number
  clock: Clock
  /** Stop reading at the first malformed line. */
  strict: boolean
  /** One stderr line. */
  report(text: string): void
  /** Ends the run: stdin is no longer read and outstanding publishes are not awaited. */
  signal: AbortSignal
}

export interface WindowOutcome {
  lines: number
  published: number
  malformed: number
  /** Publishes the broker answered with a failure reason code (MQTT v5). */
  refused: number
  /** Publishes over the broker's Maximum Packet Size (MQTT v5 CONNACK), refused by the client, never sent. */
  tooLarge: number
  /** --strict: the line number the run stopped at. */
  stoppedAt?: number
}

export async function publishWindowed<M>(stdin: Readable, o: WindowOptions<M>): Promise<WindowOutcome> {
  const out: WindowOutcome = { lines: 0, published: 0, malformed: 0, refused: 0, tooLarge: 0 }
  const window = Math.max(1, o.window)
  let outstanding = 0
  let fatal: { error: unknown } | undefined
  let wake: (() => void) | undefined
  const poke = () => { const w = wake; wake = undefined; w?.() }
  const done = (r: PublishResult) => {
    outstanding--
    if (r.reasonCode >= 0x80) { out.refused++; o.refused(r) }
    poke()
  }
  const lost = (error: unknown) => { outstanding--; fatal ??= { error }; poke() }
  /** A message too large for this broker is skipped like a refused one; the run goes on. */
  const failed = (error: unknown, n: number) => {
    if (!(error instanceof PacketTooLargeError)) return lost(error)
    outstanding--
    out.tooLarge++
    o.report(`Error: line ${n}: ${tooLargeText(error)}\n`)
    poke()
  }
  const stopped = () => o.signal.aborted || fatal !== undefined
  /** Wait (bounded by the publishes in flight, each settles once) until `ready` or the run is over. */
  const until = async (ready: () => boolean) => {
    while (!ready() && !stopped()) await new Promise<void>((resolve) => { wake = resolve })
  }
  // A signal ends the read of a stdin that may never reach EOF (a terminal).
  const stopReading = () => { stdin.destroy(); poke() }
  o.signal.addEventListener('abort', stopReading, { once: true })

  /** sendMany: the messages counted as outstanding and not handed over yet (until the next wait), their lines. */
  let batch: M[] = []
  let batchLines: number[] = []
  const sendBatch = () => {
    if (batch.length === 0) return
    const ms = batch
    const lines = batchLines
    batch = []
    batchLines = []
    o.sendMany!(ms).then((r) => {
      outstanding -= ms.length - r.failed.length
      for (const f of r.failed) failed(f.error, lines[f.index]!)
      poke()
    }, (error: unknown) => { outstanding -= ms.length - 1; lost(error) })
  }

  /** Publish `lines`; false when the run must stop (signal, finished client, --strict). */
  const take = async (lines: Buffer[]): Promise<boolean> => {
    try {
      for (const line of lines) {
        if (stopped()) return false
        const n = ++out.lines
        let m: M | undefined
        try {
          m = o.parse(line, n)
        } catch (e) {
          if (!(e instanceof LineError)) throw e
          out.malformed++
          o.report(`Error: line ${n}: ${e.text}\n`)
          if (o.strict) { out.stoppedAt = n; return false }
          continue
        }
        if (m === undefined) continue
        const ms = o.wait?.(m) ?? 0
        if (ms > 0) { sendBatch(); await sleep(ms, o.clock, o.signal) }
        if (outstanding >= window) { sendBatch(); await until(() => outstanding < window) }
        if (stopped()) return false
        outstanding++
        out.published++
        if (o.sendMany) { batch.push(m); batchLines.push(n) } else o.send(m).then(done, (e: unknown) => failed(e, n))
      }
      return true
    } finally {
      sendBatch() // what this run took leaves with it, whatever ended the run
    }
  }

  const splitter = new LineSplitter()
  try {
    let more = true
    for await (const chunk of stdin) {
      more = await take(splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)))
      if (!more) break
    }
    const tail = more ? splitter.end() : undefined
    if (tail) await take([tail])
  } catch (e) {
    if (!o.signal.aborted) throw e // a destroyed stdin after a signal is the end we asked for
  } finally {
    o.signal.removeEventListener('abort', stopReading)
  }
  await until(() => outstanding === 0)
  if (fatal && !o.signal.aborted) throw fatal.error
  return out
}

/** `Packet larger than supported by the server (5039 bytes, maximum 2000).` */
export function tooLargeText(e: PacketTooLargeError): string {
  return `${e.message.replace(/\.$/, '')} (${e.size} bytes, maximum ${e.maximum}).`
}
