// tssub — mosquitto_sub: subscribe, print every message, reconnect and resubscribe when the connection drops.
import { connect, type Client, type ClientOptions } from '../client/client.js'
import type { PublishPacket, Subscription } from '../codec/index.js'
import { RC } from '../codec/reason-codes.js'
import { topicMatches } from '../codec/topics.js'
import { resolveClientOptions } from './client-options.js'
import { connectErrorText } from './connect-errors.js'
import { Exit, exitCodeFor } from './exit-codes.js'
import { compileFormat, formatMessage, fromPublish, type OutputOptions } from './format/index.js'
import { clientCommand } from './client-command.js'
import { processIo, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import { stderrLogger, type StderrLog } from './stderr-log.js'

export const subCommand = clientCommand('sub', async (c, io, signal) => new Subscriber(c, io, await stderrLogger(io, c)).run(signal))

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(subCommand, argv, io)
}

/** Why the run ends; decides the DISCONNECT reason and the exit code. */
type Stop = 'signal' | 'timeout' | 'done'

/** mosquitto_sub waits about a second between reconnect attempts. */
const RECONNECT_DELAY_MS = 1000

class Subscriber {
  readonly #out: OutputOptions
  #printed = 0
  #stop: Stop | undefined
  #wake: () => void = () => {}
  #client: Client | undefined
  #connectedOnce = false
  /** Waiting for stdout to drain (the socket is paused meanwhile). */
  #stdoutFull = false

  constructor(private readonly c: ClientConfig, private readonly io: Io, private readonly log: StderrLog) {
    this.#out = {
      verbose: c.verbose, noEol: c.noEol, pretty: c.pretty, json: c.json,
      ...(c.format !== undefined ? { format: compileFormat(c.format) } : {}),
    }
  }

  async run(signal: AbortSignal): Promise<number> {
    const connecting = new AbortController()
    const end = (why: Stop) => {
      this.#stop ??= why
      if (!this.#client) connecting.abort()
      this.#wake()
    }
    const onSignal = () => end('signal')
    signal.addEventListener('abort', onSignal, { once: true })
    const timer = this.c.timeout !== undefined ? setTimeout(() => end('timeout'), this.c.timeout * 1000) : undefined
    this.io.stdout.on('error', () => end('done')) // a closed pipe ends the run (mosquitto_sub step 7)
    try {
      const opts = await this.#clientOptions(connecting.signal)
      for (let attempt = 0; this.#stop === undefined; attempt++) {
        try {
          this.#client = await connect(opts)
          this.#connectedOnce = true
        } catch (e) {
          if (this.#stop !== undefined) break
          if (attempt === 0) { // the first connection is not retried, as mosquitto_sub
            this.log.error(connectErrorText('sub', e))
            return exitCodeFor(e)
          }
          await this.#sleep(RECONNECT_DELAY_MS)
          continue
        }
        await this.#session(this.#client)
        this.#client = undefined
        if (this.#stop === undefined) await this.#sleep(RECONNECT_DELAY_MS)
      }
      return this.#exitCode()
    } finally {
      if (timer) clearTimeout(timer)
      signal.removeEventListener('abort', onSignal)
    }
  }

  async #clientOptions(signal: AbortSignal): Promise<ClientOptions> {
    const o = await resolveClientOptions(this.c, this.io, signal, this.log.debug)
    const count = this.c.count
    // mosquitto_sub: with -C N (N < 20) the broker need not send more than N unacknowledged messages.
    if (this.c.protocolVersion === 5 && count !== undefined && count < 20 && o.properties?.receiveMaximum === undefined) {
      o.properties = { ...o.properties, receiveMaximum: count }
    }
    return o
  }

  /** One connection: subscribe, print until it drops or the run ends. */
  async #session(client: Client): Promise<void> {
    client.onMessage = (p) => this.#onMessage(client, p)
    const closed = client.closed.then(() => 'closed' as const)
    const stopped = new Promise<'stop'>((resolve) => { this.#wake = () => resolve('stop') })
    if (this.#stop !== undefined) this.#wake()
    const ready = this.#subscribe(client).catch(() => undefined)
    const first = await Promise.race([closed, stopped, ready.then(() => 'ready' as const)])
    const why = first === 'ready' ? await Promise.race([closed, stopped]) : first
    if (why === 'closed') return
    const withWill = this.#stop === 'signal' || this.#stop === 'timeout'
    await client.disconnect(withWill ? RC.DISCONNECT_WITH_WILL : undefined).catch(() => client.destroy())
  }

  async #subscribe(client: Client): Promise<void> {
    const c = this.c
    const v5 = c.protocolVersion === 5
    const subs: Subscription[] = c.topics.map((topic) => ({
      topic, qos: c.qos,
      ...(v5 && c.retainAsPublished ? { rap: true } : {}),
      ...(v5 && c.noRetained ? { rh: 2 } : {}),
    }))
    if (subs.length > 0) {
      const suback = await client.subscribe(subs, v5 ? c.properties.subscribe : undefined)
      const codes = suback.granted as number[]
      if (this.log.debug) this.log.debug(`Subscribed (mid: ${suback.messageId}): ${codes.join(', ')}`)
      if (codes.length > 0 && codes.every((rc) => rc >= 0x80)) {
        this.log.error('All subscription requests were denied.\n')
        return this.#end('done')
      }
    }
    for (const topic of c.unsubscribe) await client.unsubscribe([topic], v5 ? c.properties.unsubscribe : undefined)
    if (c.exitAfterSuback) this.#end('done')
  }

  /** mosquitto_sub's per-message pipeline, steps (1)–(8). */
  #onMessage(client: Client, p: PublishPacket): void {
    const c = this.c
    if (this.#stop !== undefined) return // (1)
    if (c.retainedOnly && !p.retain) return this.#end('done') // (2)
    if (p.retain && c.noRetained) return // (3)
    if (c.filterOut.some((f) => topicMatches(f, p.topic))) return // (4)
    if (c.removeRetained && p.retain) { // (5)
      client.publish(p.topic, Buffer.alloc(0), { qos: 1, retain: true }).catch(() => undefined)
    }
    if (c.randomFilter === undefined || Math.random() * 100 < c.randomFilter) this.#print(client, p) // (6)
    this.#printed++
    if (c.count !== undefined && this.#printed >= c.count) this.#end('done') // (8)
  }

  #print(client: Client, p: PublishPacket): void {
    const r = formatMessage(fromPublish(p), this.#out)
    if (r.err) this.io.stderr.write(r.err + '\n')
    // A slow reader of our stdout (a pipe) must slow the broker down, not fill our memory: mosquitto_sub
    // blocks in write(); we stop reading the socket until stdout drains.
    if (r.out && !this.io.stdout.write(r.out) && !this.#stdoutFull) {
      this.#stdoutFull = true
      client.pause()
      this.io.stdout.once('drain', () => { this.#stdoutFull = false; client.resume() })
    }
  }

  #end(why: Stop): void {
    this.#stop ??= why
    this.#wake()
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms)
      this.#wake = () => { clearTimeout(t); resolve() }
    })
  }

  #exitCode(): number {
    const connected = this.#connectedOnce
    if (this.#stop === 'timeout') {
      if (!connected) return Exit.interruptedBeforeConnack
      this.log.error('Timed out\n')
      return Exit.timeout
    }
    if (this.#stop === 'signal' && !connected) return Exit.interruptedBeforeConnack
    return Exit.ok
  }
}
