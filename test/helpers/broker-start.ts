// Start an in-process broker on 127.0.0.1 port 0 for one test, and MQTT.js clients against it.
import type { TestContext } from 'node:test'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { createBroker, type Broker } from '../../src/broker/broker.js'
import type { BrokerOptions, LogLevel } from '../../src/broker/options.js'

export interface StartedBroker { broker: Broker; port: number; url: string; logs: [LogLevel, string][] }

export async function startBroker(t: TestContext, opts: BrokerOptions = {}): Promise<StartedBroker> {
  const logs: [LogLevel, string][] = []
  const broker = createBroker({ logger: (level, line) => logs.push([level, line]), ...opts })
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => broker.close())
  return { broker, port, url: `mqtt://127.0.0.1:${port}`, logs }
}

/** An MQTT.js client that never reconnects by itself; ended after the test. */
export async function client(t: TestContext, url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
  t.after(() => c.endAsync(true))
  return c
}

/** Connect with an Inbox attached before CONNACK (a resumed session delivers right after it). */
export function clientWithInbox(t: TestContext, url: string, opts: IClientOptions = {}): { client: MqttClient; inbox: Inbox; connack: Promise<mqtt.IConnackPacket> } {
  const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
  t.after(() => c.endAsync(true))
  const inbox = new Inbox(c)
  const connack = new Promise<mqtt.IConnackPacket>((resolve, reject) => {
    c.once('connect', resolve)
    c.once('error', reject)
  })
  return { client: c, inbox, connack }
}

export interface Received { topic: string; payload: Buffer; packet: mqtt.IPublishPacket }

/** Collects messages; `next()` resolves with the next one (or rejects after `timeoutMs`). */
export class Inbox {
  readonly messages: Received[] = []
  #waiters: ((m: Received) => void)[] = []
  #read = 0
  constructor(c: MqttClient) {
    c.on('message', (topic, payload, packet) => {
      const m = { topic, payload, packet }
      this.messages.push(m)
      const w = this.#waiters.shift()
      if (w) { this.#read++; w(m) }
    })
  }

  next(timeoutMs = 3000): Promise<Received> {
    if (this.#read < this.messages.length) return Promise.resolve(this.messages[this.#read++]!)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done)
        reject(new Error(`no message within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = (m: Received) => { clearTimeout(timer); resolve(m) }
      this.#waiters.push(done)
    })
  }

  /** Resolve after `ms` asserting nothing (more) arrived. */
  async none(ms = 200): Promise<void> {
    const before = this.messages.length
    await new Promise((r) => setTimeout(r, ms))
    if (this.messages.length !== before) throw new Error(`unexpected message on ${this.messages[before]!.topic}`)
  }
}

/** Poll `cond` every 5 ms until it holds; fails after `timeoutMs` (for broker-side effects with no event). */
export async function until(cond: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** For v3.1.1 and v5 test variants. */
export const VERSIONS = [4, 5] as const
