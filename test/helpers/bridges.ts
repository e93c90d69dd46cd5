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

/**
 * A retained message published on `fromUrl` under `prefix` crosses the bridge live but is not retained on the
 * other side (`atUrl`): a subscriber that comes later gets a plain marker before anything retained. Resolves
 * with the topic that later subscriber saw first (the caller asserts it is `${prefix}/marker`).
 */
export async function firstAfterRetainedCrossing(t: TestContext, fromUrl: string, atUrl: string, prefix: string): Promise<string> {
  const live = await subscriber(t, atUrl, `${prefix}/#`)
  const pub = await client(t, fromUrl)
  await pub.publishAsync(`${prefix}/x`, 'not kept', { qos: 1, retain: true })
  await live.next()
  const later = await subscriber(t, atUrl, `${prefix}/#`)
  await pub.publishAsync(`${prefix}/marker`, 'first', { qos: 1 })
  return (await later.next()).topic
}
