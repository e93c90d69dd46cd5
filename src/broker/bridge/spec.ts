// What a bridge is told (createBroker({ bridges }) and tsbroker's mosquitto.conf bridge blocks), mosquitto's
// defaults for what it is not told, and the checks mosquitto makes when it reads the block.
import { hostname } from 'node:os'
import type { ProtocolVersion } from '../../codec/index.js'
import type { Pem } from '../listeners/types.js'
import { BridgeConfigError } from './bridge-error.js'
import { compileTopic, type BridgeTopic, type MappedTopic } from './topic-map.js'

export { BridgeConfigError } from './bridge-error.js'
export type { BridgeDirection, BridgeTopic } from './topic-map.js'

export interface BridgeAddress { host: string; port?: number }

/** The bridge's TLS towards the remote broker (bridge_cafile, …); with it the connection is TLS. */
export interface BridgeTls {
  /** CA certificates the remote's certificate must chain to (bridge_cafile); Node's own CAs when absent. */
  ca?: Pem | readonly Pem[]
  /** A directory of CA certificates, every *.pem and *.crt in it (bridge_capath). */
  caPath?: string
  /** Client certificate and key, when the remote asks for one (bridge_certfile, bridge_keyfile). */
  cert?: Pem
  key?: Pem
  /** Do not check that the certificate names the host (bridge_insecure); the chain is still verified. */
  insecure?: boolean
  /** The lowest TLS version (bridge_tls_version; default TLS 1.2). */
  version?: 'tlsv1.3' | 'tlsv1.2' | 'tlsv1.1'
  /** The ALPN protocol to ask for (bridge_alpn). */
  alpn?: string
}

export interface BridgeSpec {
  /** mosquitto's `connection <name>`: unique among the broker's bridges. */
  name: string
  /** Tried in order after each failure; 1883 when no port is given. */
  addresses: readonly BridgeAddress[]
  /** false (default): the first address is the main one, tried again every 5 s while on another. */
  roundRobin?: boolean
  topics: readonly BridgeTopic[]
  /** Default `<hostname>.<name>`, as mosquitto. */
  remoteClientId?: string
  /** Default `local.<remoteClientId>`. */
  localClientId?: string
  remoteUsername?: string
  /** Only sent with remoteUsername. */
  remotePassword?: string
  /** The username the local broker's ACL sees for the bridge (it is never authenticated, as in mosquitto). */
  localUsername?: string
  localPassword?: string
  /** Default false: the remote keeps the bridge's subscriptions and messages while it is away. */
  cleanSession?: boolean
  /** The same for the bridge's session on this broker; default: cleanSession. */
  localCleanSession?: boolean
  /** Default 4 (MQTT 3.1.1), as mosquitto's bridge_protocol_version mqttv311. */
  protocolVersion?: ProtocolVersion
  /** Default true: tell a 3.1/3.1.1 remote that this is a bridge (level | 0x80), so it sends nothing back. */
  tryPrivate?: boolean
  /** Default true: retained `1`/`0` on the state topic, here and on the remote (its will sets `0`). */
  notifications?: boolean
  /** Publish the state on this broker only. */
  notificationsLocalOnly?: boolean
  /** Default `$SYS/broker/connection/<remoteClientId>/state`. */
  notificationTopic?: string
  /** Seconds (default 60; at least 5). */
  keepalive?: number
  /** Seconds before trying again: one number is a fixed wait; [base, cap] a jittered backoff (default [5, 30]). */
  restartTimeout?: number | readonly [number, number]
  /** automatic (default), lazy (connects once `threshold` messages wait, leaves after `idleTimeout`), once. */
  startType?: 'automatic' | 'lazy' | 'once'
  /** Seconds without traffic after which a lazy bridge disconnects (default 60). */
  idleTimeout?: number
  /** Messages waiting for a lazy bridge that make it connect (default 10). */
  threshold?: number
  /** Default true: unsubscribe the remote from `out`-only topics at each connect. */
  attemptUnsubscribe?: boolean
  /** Largest packet sent to the remote, in bytes (0 = no limit; a smaller limit of the remote wins). */
  maxPacketSize?: number
  /** Default true; false sends every message to the remote with retain 0. */
  outgoingRetain?: boolean
  /** Local address of the remote connection's socket. */
  bindAddress?: string
  tls?: BridgeTls
}

export interface ResolvedBridge {
  readonly name: string
  readonly addresses: readonly Required<BridgeAddress>[]
  readonly roundRobin: boolean
  readonly topics: readonly MappedTopic[]
  readonly remoteClientId: string
  readonly localClientId: string
  readonly remoteUsername: string | undefined
  readonly remotePassword: string | undefined
  readonly localUsername: string | undefined
  readonly localPassword: string | undefined
  readonly cleanSession: boolean
  readonly localCleanSession: boolean
  readonly protocolVersion: ProtocolVersion
  readonly tryPrivate: boolean
  readonly notifications: boolean
  readonly notificationsLocalOnly: boolean
  readonly stateTopic: string
  readonly keepalive: number
  /** Milliseconds: a fixed wait, or the base and cap of the jitter. */
  readonly restart: { readonly base: number; readonly cap: number | undefined }
  readonly startType: 'automatic' | 'lazy' | 'once'
  readonly idleTimeoutMs: number
  readonly threshold: number
  readonly attemptUnsubscribe: boolean
  readonly maxPacketSize: number
  readonly outgoingRetain: boolean
  readonly bindAddress: string | undefined
  readonly tls: BridgeTls | undefined
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n))

/** Fill in mosquitto's defaults and check the specification; throws BridgeConfigError. */
export function resolveBridge(s: BridgeSpec, host = hostname()): ResolvedBridge {
  if (!s.name) throw new BridgeConfigError('Invalid bridge configuration: bridge name not defined.')
  if (s.addresses.length === 0) throw new BridgeConfigError(`Invalid bridge configuration: no remote addresses defined (bridge ${s.name}).`, s.name)
  if (s.topics.length === 0) throw new BridgeConfigError(`Invalid bridge configuration: no topics defined (bridge ${s.name}).`, s.name)
  for (const a of s.addresses) {
    const port = a.port ?? 1883
    if (!a.host || !Number.isInteger(port) || port < 1 || port > 65535) throw new BridgeConfigError(`Invalid bridge address ${a.host}:${port}.`, s.name)
  }
  const tls = s.tls
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) {
    throw new BridgeConfigError(`Bridge ${s.name}: a client certificate needs its key, and a key its certificate (bridge_certfile, bridge_keyfile).`, s.name)
  }
  const restart = restartOf(s.restartTimeout, s.name)
  const remoteClientId = s.remoteClientId ?? `${host}.${s.name}`
  const cleanSession = s.cleanSession ?? false
  return {
    name: s.name,
    addresses: s.addresses.map((a) => ({ host: a.host, port: a.port ?? 1883 })),
    roundRobin: s.roundRobin ?? false,
    topics: s.topics.map((t) => named(s.name, () => compileTopic(t))),
    remoteClientId,
    localClientId: s.localClientId ?? `local.${remoteClientId}`,
    remoteUsername: s.remoteUsername,
    remotePassword: s.remoteUsername !== undefined ? s.remotePassword : undefined, // as mosquitto: only with a username
    localUsername: s.localUsername,
    localPassword: s.localPassword,
    cleanSession,
    localCleanSession: s.localCleanSession ?? cleanSession,
    protocolVersion: s.protocolVersion ?? 4,
    tryPrivate: s.tryPrivate ?? true,
    notifications: s.notifications ?? true,
    notificationsLocalOnly: s.notificationsLocalOnly ?? false,
    stateTopic: s.notificationTopic ?? `$SYS/broker/connection/${remoteClientId}/state`,
    keepalive: clamp(s.keepalive ?? 60, 5, 65535),
    restart,
    startType: s.startType ?? 'automatic',
    idleTimeoutMs: Math.max(1, s.idleTimeout ?? 60) * 1000,
    threshold: Math.max(1, s.threshold ?? 10),
    attemptUnsubscribe: s.attemptUnsubscribe ?? true,
    maxPacketSize: Math.max(0, s.maxPacketSize ?? 0),
    outgoingRetain: s.outgoingRetain ?? true,
    bindAddress: s.bindAddress,
    tls,
  }
}

/** restart_timeout: 1..3600 s fixed, or a base and a cap (cap at least the base, at most 7200 s), as mosquitto. */
function restartOf(r: BridgeSpec['restartTimeout'], name: string): ResolvedBridge['restart'] {
  if (r === undefined) return { base: 5000, cap: 30_000 }
  if (typeof r === 'number') return { base: clamp(r, 1, 3600) * 1000, cap: undefined }
  const base = clamp(r[0], 1, 3600)
  if (r[1] < base) throw new BridgeConfigError('backoff cap is lower than the base in restart_timeout.', name)
  return { base: base * 1000, cap: Math.min(r[1], 7200) * 1000 }
}

/** Run `f`, naming bridge `name` in a BridgeConfigError it throws. */
function named<T>(name: string, f: () => T): T {
  try {
    return f()
  } catch (e) {
    throw e instanceof BridgeConfigError && e.bridge === undefined ? new BridgeConfigError(e.message, name) : e
  }
}

/** Bridges of one broker need distinct names and local client ids (mosquitto checks the ids too). */
export function checkDistinct(bridges: readonly ResolvedBridge[]): void {
  const names = new Set<string>()
  const ids = new Set<string>()
  for (const b of bridges) {
    if (names.has(b.name)) throw new BridgeConfigError(`Duplicate bridge name "${b.name}".`, b.name)
    if (ids.has(b.localClientId)) {
      throw new BridgeConfigError(`Bridge local_clientid '${b.localClientId}' is not unique. Try changing or setting the local_clientid value for one of the bridges.`, b.name)
    }
    names.add(b.name)
    ids.add(b.localClientId)
  }
}
