// tsrr — mosquitto_rr: subscribe to the response topic, publish the request with Response-Topic and
// Correlation-Data, print the first response with the tssub formatter, exit.
import { randomBytes } from 'node:crypto'
import { connect, type Client } from '../client/client.js'
import type { PublishPacket, PublishProperties, Subscription } from '../codec/index.js'
import { RC, reasonName } from '../codec/reason-codes.js'
import { ConnectionClosedError, PacketTooLargeError, TimeoutError } from '../core/errors.js'
import { resolveConnection } from './client-options.js'
import { Exit } from './exit-codes.js'
import { compileFormat, formatMessage, fromPublish, type OutputOptions } from './format/index.js'
import { loadPayload } from './input.js'
import { clientCommand } from './client-command.js'
import { processIo, writeAll, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import type { StderrLog } from './stderr-log.js'

export const rrCommand = clientCommand('rr', async (c, io, signal, log) => {
  const payload = (await loadPayload(c.payload, io)) ?? Buffer.alloc(0)
  return new Requester(c, io, log, payload).run(signal)
})

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(rrCommand, argv, io)
}

type Stop = 'signal' | 'timeout'
type Outcome =
  | { kind: 'response'; packet: PublishPacket } | { kind: 'closed' } | { kind: 'stop' } | { kind: 'denied'; code: number }
  | { kind: 'too-large'; error: PacketTooLargeError }

class Requester {
  readonly #out: OutputOptions
  #stop: Stop | undefined
  #wake: () => void = () => {}

  constructor(private readonly c: ClientConfig, private readonly io: Io, private readonly log: StderrLog,
    private readonly payload: Buffer) {
    this.#out = {
      verbose: c.verbose, noEol: c.noEol, pretty: c.pretty, json: c.json,
      ...(c.format !== undefined ? { format: compileFormat(c.format) } : {}),
    }
  }

  async run(signal: AbortSignal): Promise<number> {
    const connecting = new AbortController()
    const end = (why: Stop) => { this.#stop ??= why; connecting.abort(); this.#wake() }
    const onSignal = () => end('signal')
    signal.addEventListener('abort', onSignal, { once: true })
    // -W covers the whole run, CONNACK included (mosquitto_rr prints "Timed out" even without a CONNACK).
    const timer = this.c.timeout !== undefined ? setTimeout(() => end('timeout'), this.c.timeout * 1000) : undefined
    try {
      const { endpoint, options } = await resolveConnection(this.c, this.io, connecting.signal, this.log.debug)
      let client: Client
      try {
        client = await connect(endpoint, options)
      } catch (e) {
        if (this.#stop !== undefined) return this.#stopped(false)
        throw e
      }
      return await this.#exchange(client)
    } finally {
      if (timer) clearTimeout(timer)
      signal.removeEventListener('abort', onSignal)
    }
  }

  async #exchange(client: Client): Promise<number> {
    const c = this.c
    const v5 = c.protocolVersion === 5
    const correlation = v5 ? (c.properties.publish?.correlationData ?? Buffer.from(randomBytes(8).toString('hex'))) : undefined
    const outcome = new Promise<Outcome>((resolve) => {
      this.#wake = () => resolve({ kind: 'stop' })
      if (this.#stop !== undefined) this.#wake()
      void client.closed.then(() => resolve({ kind: 'closed' }))
      client.onMessage = (p) => {
        if (p.retain && c.noRetained) return // -R (fixed in mosquitto 2.0.18)
        const cd = p.properties?.correlationData
        if (correlation && cd && !Buffer.from(cd).equals(correlation)) return // someone else's response
        resolve({ kind: 'response', packet: p })
      }
      this.#request(client, correlation).then((code) => { if (code !== undefined) resolve({ kind: 'denied', code }) }, (e: unknown) => {
        // the request is larger than the broker takes (its v5 Maximum Packet Size): never sent, so no response comes
        if (e instanceof PacketTooLargeError) resolve({ kind: 'too-large', error: e })
      })
    })
    const r = await outcome
    switch (r.kind) {
      case 'response': {
        const f = formatMessage(fromPublish(r.packet), this.#out)
        if (f.err) this.io.stderr.write(f.err + '\n')
        if (f.out) await writeAll(this.io.stdout, f.out)
        await client.disconnect().catch(() => client.destroy())
        return Exit.ok
      }
      case 'denied':
        this.log.error(`${reasonName(r.code)}\n`)
        await client.disconnect().catch(() => client.destroy())
        return Exit.ok
      case 'too-large':
        await client.disconnect().catch(() => client.destroy())
        throw r.error
      case 'closed':
        if (this.#stop !== undefined) return this.#stopped(true)
        throw new ConnectionClosedError()
      case 'stop':
        await client.disconnect(RC.DISCONNECT_WITH_WILL).catch(() => client.destroy())
        return this.#stopped(true)
    }
  }

  /** SUBSCRIBE to the response topic; once granted, publish the request. Resolves a refusal code, if any. */
  async #request(client: Client, correlation: Buffer | undefined): Promise<number | undefined> {
    const c = this.c
    const v5 = c.protocolVersion === 5
    const sub: Subscription = {
      topic: c.responseTopic!, qos: c.qos,
      ...(v5 && c.retainAsPublished ? { rap: true } : {}),
      ...(v5 && c.noRetained ? { rh: 2 } : {}),
    }
    const suback = await client.subscribe([sub], v5 ? c.properties.subscribe : undefined)
    const code = (suback.granted as number[])[0] ?? 0x80
    if (code >= 0x80) return code
    const properties: PublishProperties | undefined = v5
      ? { ...c.properties.publish, responseTopic: c.responseTopic!, correlationData: correlation! }
      : undefined
    await client.publish(c.topic!, this.payload, { qos: c.qos, retain: c.retain, ...(properties ? { properties } : {}) })
    return undefined
  }

  #stopped(connected: boolean): number {
    if (this.#stop === 'timeout') throw new TimeoutError('Timed out')
    return connected ? Exit.ok : Exit.interruptedBeforeConnack
  }
}
