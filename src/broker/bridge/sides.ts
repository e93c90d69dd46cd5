// The two clients of a bridge, both the project's Client: the local side over an in-memory stream into
// this broker (a trusted connection with the bridge's own client id, so sessions, QoS, no-local, ACLs and the
// durable store apply to it as to any client), and the remote side over TCP or TLS to each address in turn.
import { duplexPair, type Duplex } from 'node:stream'
import { Client } from '../../client/client.js'
import type { Subscription } from '../../codec/index.js'
import type { Endpoint } from '../../core/endpoint.js'
import { openTransport, type TransportFactory } from '../../core/transport.js'
import type { AddressRing, RemoteAddress } from './addresses.js'
import { bridgeTlsOptions } from './bridge-tls.js'
import type { BridgeHost } from './bridges.js'
import type { Notifications } from './notifications.js'
import type { ResolvedBridge } from './spec.js'

/** v5 Session Expiry "never": what cleansession false means. */
const NEVER = 0xffffffff

export function localSide(host: BridgeHost, b: ResolvedBridge): Client {
  const transport: TransportFactory = async () => {
    const [ours, theirs] = duplexPair()
    host.connect(theirs, b.name)
    return ours
  }
  const endpoint: Endpoint = { transport: 'tcp', host: 'local', port: 0, path: '' }
  return new Client(endpoint, {
    protocolVersion: 5, // for no-local and retain-as-published on its subscriptions
    clientId: b.localClientId,
    clean: b.localCleanSession,
    ...(b.localCleanSession ? {} : { properties: { sessionExpiryInterval: NEVER } }),
    keepalive: 0,
    username: b.localUsername,
    password: b.localPassword,
    manualAck: true, // a message from here is acknowledged once the remote has it
    maxInflight: 0, // the broker's Receive Maximum bounds it
    reconnect: { initialDelayMs: 1000, maxDelayMs: 30_000 },
    transport,
    clock: host.clock,
  })
}

/** What the local side subscribes to (`out` and `both` lines): no-local, retain as published, as mosquitto's bridge. */
export function localSubscriptions(b: ResolvedBridge, retainHandling: 0 | 2): Subscription[] {
  return b.topics.filter((t) => t.direction !== 'in').map((t) => ({ topic: t.localFilter, qos: t.qos, nl: true, rap: true, rh: retainHandling }))
}

export interface RemoteEvents {
  /** An attempt starts (mosquitto's "Connecting bridge" line). */
  attempt(a: RemoteAddress): void
  /** Its socket is open (so the bridge can drop it: idle timeout, back to the primary address). */
  opened(stream: Duplex): void
  /** After each failed attempt or lost connection: whether (and when) to try again. */
  next(reason: Error | undefined): Promise<boolean>
}

export function remoteSide(host: BridgeHost, b: ResolvedBridge, ring: AddressRing, notes: Notifications, on: RemoteEvents): Client {
  const tls = b.tls ? bridgeTlsOptions(b.tls, b.name) : undefined // files are read now: errors show at start-up
  const kind = tls ? 'tls' : 'tcp'
  const transport: TransportFactory = async (signal) => {
    const a = ring.current
    on.attempt(a)
    const stream = await openTransport({ transport: kind, host: a.host, port: a.port, path: '' }, {
      ...(tls ? { tls } : {}), ...(b.bindAddress !== undefined ? { bindAddress: b.bindAddress } : {}), ...(signal ? { signal } : {}),
    })
    on.opened(stream)
    return stream
  }
  const first = b.addresses[0]!
  return new Client({ transport: kind, host: first.host, port: first.port, path: '' }, {
    protocolVersion: b.protocolVersion,
    clientId: b.remoteClientId,
    clean: b.cleanSession,
    ...(b.protocolVersion === 5 && !b.cleanSession ? { properties: { sessionExpiryInterval: NEVER } } : {}),
    keepalive: b.keepalive,
    username: b.remoteUsername,
    password: b.remotePassword,
    will: notes.will(),
    bridge: b.tryPrivate,
    manualAck: true, // a message from the remote is acknowledged once this broker has it (on disk with persistence)
    maxInflight: host.maxInflight,
    reconnect: { next: on.next },
    transport,
    clock: host.clock,
  })
}

/** What the remote side subscribes to (`in` and `both` lines); on MQTT 5 no-local and retain as published. */
export function remoteSubscriptions(b: ResolvedBridge, maxQos: number): Subscription[] {
  const v5 = b.protocolVersion === 5
  return b.topics.filter((t) => t.direction !== 'out').map((t) => ({
    topic: t.remoteFilter, qos: (t.qos > maxQos ? maxQos : t.qos) as Subscription['qos'], ...(v5 ? { nl: true, rap: true, rh: 0 } : {}),
  }))
}
