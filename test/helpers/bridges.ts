// Two in-process brokers for bridge tests: B, a plain tsbroker, and A, bridged to B.
import type { TestContext } from 'node:test'
import type { IClientOptions } from 'mqtt'
import type { BridgeSpec } from '../../src/broker/bridge/spec.js'
import type { BrokerOptions } from '../../src/broker/options.js'
import { client, Inbox, startBroker, type StartedBroker } from './broker-start.js'

export interface Bridged { a: StartedBroker; b: StartedBroker; spec: BridgeSpec }

/** A bridge named "ab" from A to B (remote client id "edge"), with `spec` over those defaults. */
export async function bridged(t: TestContext, spec: Partial<BridgeSpec> = {}, o: { a?: BrokerOptions; b?: BrokerOptions } = {}): Promise<Bridged> {
  const b = await startBroker(t, o.b)
  const full: BridgeSpec = {
    name: 'ab', remoteClientId: 'edge', addresses: [{ host: '127.0.0.1', port: b.port }],
    topics: [{ pattern: '#', direction: 'both', qos: 1 }], restartTimeout: 1, ...spec,
  }
  const a = await startBroker(t, { ...o.a, bridges: [full] })
  return { a, b, spec: full }
}

/** A subscriber (MQTT.js) with its inbox, subscribed before it returns. */
export async function subscriber(t: TestContext, url: string, filter: string | string[], qos: 0 | 1 | 2 = 1, opts: IClientOptions = {}): Promise<Inbox> {
  const c = await client(t, url, opts)
  const inbox = new Inbox(c)
  await c.subscribeAsync(filter, { qos })
  return inbox
}

/** Resolves once the state topic on the broker at `url` says `value` (retained or published later). */
export async function stateIs(t: TestContext, url: string, value: '0' | '1', topic = '$SYS/broker/connection/edge/state'): Promise<void> {
  const inbox = await subscriber(t, url, topic)
  for (let i = 0; i < 20; i++) if ((await inbox.next(5000)).payload.toString() === value) return
  throw new Error(`${topic} never said ${value}`)
}
