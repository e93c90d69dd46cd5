// A shard on a worker thread, so the connections of a run spread over cores: the same phases as Shard,
// asked for by message. The worker gets the parsed command line (password already resolved; Buffers and
// property orders revived, portable-config.ts) and builds its own connection options and -D properties,
// since TLS callbacks and the debug logger cannot cross threads.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { ConnackRefusedError, KeepaliveError, MqttError, NetworkError, TlsError } from '../../core/errors.js'
import { resolveConnection } from '../client-options.js'
import { processIo } from '../io.js'
import type { ClientConfig } from '../options/types.js'
import { portableConfig, revivedConfig, type PortableConfig } from './portable-config.js'
import { systemBenchClock } from './publish-loop.js'
import { Shard, shardProperties, type DrainReport, type Progress, type PublishReport, type ShardPlan } from './shard.js'

/** What the run drives: a Shard in this thread, or one in a worker. */
export interface ShardHandle {
  connect(startAt: number): Promise<void>
  publish(startAt: number): Promise<PublishReport>
  drain(expected: Record<number, number>, drainSeconds: number): Promise<DrainReport>
  progress(): Progress
  stop(): void
  close(): Promise<void>
  destroy(): void
}

export type RemotePlan = Omit<ShardPlan, 'endpoint' | 'options' | 'properties'>

interface WorkerInit { tsbenchShard: true; plan: RemotePlan; config: PortableConfig }
type Call = { id: number; op: 'connect' | 'publish' | 'drain' | 'stop' | 'close'; args: unknown[] }
type SentError = { kind: 'connack'; reasonCode: number; version: 3 | 4 | 5; reasonString?: string } | { kind: 'tls' | 'keepalive' | 'network' | 'other'; message: string }
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError } | { progress: Progress }

function sendable(e: unknown): SentError {
  if (e instanceof ConnackRefusedError) return { kind: 'connack', reasonCode: e.reasonCode, version: e.version, ...(e.reasonString !== undefined ? { reasonString: e.reasonString } : {}) }
  const message = e instanceof Error ? e.message : String(e)
  if (e instanceof TlsError) return { kind: 'tls', message }
  if (e instanceof KeepaliveError) return { kind: 'keepalive', message }
  if (e instanceof NetworkError) return { kind: 'network', message }
  return { kind: 'other', message }
}

function received(e: SentError): Error {
  switch (e.kind) {
    case 'connack': return new ConnackRefusedError(e.reasonCode, e.version, e.reasonString)
    case 'tls': return new TlsError(e.message)
    case 'keepalive': return new KeepaliveError(e.message)
    case 'network': return new NetworkError(e.message)
    default: return new MqttError(e.message, 'ERR_BENCH_WORKER')
  }
}

export class WorkerShard implements ShardHandle {
  readonly #worker: Worker
  readonly #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  #next = 0
  #progress: Progress = { sent: 0, received: 0 }
  /** Set once the worker is gone: a call then fails at once instead of waiting for an answer that never comes. */
  #gone: Error | undefined

  constructor(plan: RemotePlan, config: ClientConfig) {
    const init: WorkerInit = { tsbenchShard: true, plan, config: portableConfig(config) }
    this.#worker = new Worker(new URL(import.meta.url), { workerData: init })
    this.#worker.on('message', (r: Reply) => {
      if ('progress' in r) { this.#progress = r.progress; return }
      const w = this.#waiting.get(r.id)
      this.#waiting.delete(r.id)
      if (r.ok) w?.resolve(r.value)
      else w?.reject(received(r.error))
    })
    const fail = (e: Error) => { this.#gone ??= e; for (const w of this.#waiting.values()) w.reject(e); this.#waiting.clear() }
    this.#worker.on('error', (e) => fail(new MqttError(`tsbench worker failed: ${e.message}`, 'ERR_BENCH_WORKER')))
    this.#worker.on('exit', () => fail(new MqttError('tsbench worker exited', 'ERR_BENCH_WORKER')))
  }

  #call<T>(op: Call['op'], ...args: unknown[]): Promise<T> {
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      if (this.#gone) return reject(this.#gone)
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.#worker.postMessage({ id, op, args } satisfies Call)
    })
  }

  connect(startAt: number): Promise<void> { return this.#call('connect', startAt) }
  publish(startAt: number): Promise<PublishReport> { return this.#call('publish', startAt) }
  drain(expected: Record<number, number>, drainSeconds: number): Promise<DrainReport> { return this.#call('drain', expected, drainSeconds) }
  progress(): Progress { return this.#progress }
  stop(): void { void this.#call('stop').catch(() => {}) }
  async close(): Promise<void> {
    await this.#call('close').catch(() => {})
    await this.#worker.terminate()
  }
  destroy(): void { void this.#worker.terminate() }
}

/** The worker's side: build the shard, answer calls, post progress twice a second. */
async function serve(init: WorkerInit): Promise<void> {
  const port = parentPort!
  const io = processIo()
  const never = new AbortController().signal
  const config = revivedConfig(init.config)
  const debug = config.debug ? (line: string) => { io.stderr.write(`${line}\n`) } : undefined
  const { endpoint, options } = await resolveConnection(config, io, never, debug)
  delete options.signal
  const shard = new Shard({ ...init.plan, endpoint, options, properties: shardProperties(config) }, systemBenchClock)
  const ticker = setInterval(() => port.postMessage({ progress: shard.progress() } satisfies Reply), 500)
  ticker.unref()
  port.on('message', (call: Call) => {
    const run = async (): Promise<unknown> => {
      switch (call.op) {
        case 'connect': return shard.connect(call.args[0] as number)
        case 'publish': return shard.publish(call.args[0] as number)
        case 'drain': return shard.drain(call.args[0] as Record<number, number>, call.args[1] as number)
        case 'stop': return shard.stop()
        case 'close': clearInterval(ticker); return shard.close()
      }
    }
    run().then(
      (value) => {
        const transfer = value && typeof value === 'object' && 'latencies' in value ? [(value as DrainReport).latencies.buffer as ArrayBuffer] : []
        port.postMessage({ id: call.id, ok: true, value } satisfies Reply, transfer)
      },
      (e: unknown) => port.postMessage({ id: call.id, ok: false, error: sendable(e) } satisfies Reply),
    )
  })
}

if (!isMainThread && (workerData as Partial<WorkerInit> | null)?.tsbenchShard === true) {
  void serve(workerData as WorkerInit)
}
