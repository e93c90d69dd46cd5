// tssub — mosquitto_sub: subscribe, print every message; the client reconnects when the connection drops
// and each new connection subscribes again (mosquitto_sub's on_connect).
import { connect, type Client } from '../client/client.js'
import type { PublishPacket, Subscription } from '../codec/index.js'
import { RC } from '../codec/reason-codes.js'
import { topicMatches } from '../codec/topics.js'
import { PacketTooLargeError, TimeoutError } from '../core/errors.js'
import { CLI_RECONNECT, resolveConnection } from './client-options.js'
import { Exit } from './exit-codes.js'
import { compileFormat, formatMessage, fromPublish, type OutputOptions } from './format/index.js'
import { clientCommand } from './client-command.js'
import { processIo, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import type { StderrLog } from './stderr-log.js'

export const subCommand = clientCommand('sub', (c, io, signal, log) => new Subscriber(c, io, log).run(signal))

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(subCommand, argv, io)
}

/** Why the run ends; decides the DISCONNECT reason and the exit code. */
type Stop = 'signal' | 'timeout' | 'done'

class Subscriber {
  readonly #out: OutputOptions
  #printed = 0
  #stop: Stop | undefined
  /** What ends the run as an error once it has disconnected. */
  #failure: Error | undefined
  #wake: () => void = () => {}
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
    const stopped = new Promise<void>((resolve) => { this.#wake = resolve })
    const end = (why: Stop) => {
      this.#stop ??= why
      connecting.abort()
      this.#wake()
    }
    const onSignal = () => end('signal')
    signal.addEventListener('abort', onSignal, { once: true })
    const timer = this.c.timeout !== undefined ? setTimeout(() => end('timeout'), this.c.timeout * 1000) : undefined
    this.io.stdout.on('error', () => end('done')) // a closed pipe ends the run (mosquitto_sub step 7)
    try {
      const { endpoint, options } = await resolveConnection(this.c, this.io, connecting.signal, this.log.debug)
      // mosquitto_sub: with -C N (N < 20) the broker need not send more than N unacknowledged messages.
      const count = this.c.count
      if (this.c.protocolVersion === 5 && count !== undefined && count < 20 && options.properties?.receiveMaximum === undefined) {
        options.properties = { ...options.properties, receiveMaximum: count }
      }
      let client: Client
      try {
        // The first connection is not retried (as mosquitto_sub); later drops are.
        client = await connect(endpoint, { ...options, reconnect: CLI_RECONNECT })
      } catch (e) {
        if (this.#stop !== undefined) return this.#exitCode(false)
        throw e
      }
      client.onMessage = (p) => this.#onMessage(client, p)
      client.onConnect = () => { this.#subscribe(client).catch((e: unknown) => this.#subscribeFailed(e)) }
      const closed = await Promise.race([client.closed.then((e) => ({ e })), stopped.then(() => undefined)])
      if (closed) {
        if (closed.e) throw closed.e // e.g. a reconnect the broker refused (mosquitto_sub exits too)
        return this.#exitCode(true)
      }
      const withWill = this.#stop === 'signal' || this.#stop === 'timeout'
      await client.disconnect(withWill ? RC.DISCONNECT_WITH_WILL : undefined).catch(() => client.destroy())
      return this.#exitCode(true)
    } finally {
      if (timer) clearTimeout(timer)
      signal.removeEventListener('abort', onSignal)
    }
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

  /**
   * A SUBSCRIBE or UNSUBSCRIBE over the broker's Maximum Packet Size ends the run with exit 25 (mosquitto_sub
   * would go on waiting, subscribed to nothing). Any other failure is the connection's, which reconnects.
   */
  #subscribeFailed(e: unknown): void {
    if (!(e instanceof PacketTooLargeError)) return
    this.#failure ??= e
    this.#end('done')
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

  /** -W after CONNACK is a failure (exit 27, "Timed out"); before it, mosquitto_sub exits 255 silently. */
  #exitCode(connected: boolean): number {
    if (this.#failure) throw this.#failure
    if (this.#stop === 'timeout') {
      if (!connected) return Exit.interruptedBeforeConnack
      throw new TimeoutError('Timed out')
    }
    if (this.#stop === 'signal' && !connected) return Exit.interruptedBeforeConnack
    return Exit.ok
  }
}
