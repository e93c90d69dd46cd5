// The typed result of reading a mosquitto.conf: global options plus the listeners to open.
import { MqttError } from '../../core/errors.js'
import type { BridgeAddress, BridgeSpec, BridgeTopic } from '../bridge/spec.js'

export type ListenerProtocol = 'mqtt' | 'websockets'
export type LogType = 'debug' | 'error' | 'warning' | 'notice' | 'information' | 'subscribe' | 'unsubscribe' | 'websockets'
/** `syslog`: Node.js has no Unix datagram sockets, so tsbroker says so on stderr and logs there instead. */
export type LogDest = { kind: 'stderr' } | { kind: 'stdout' } | { kind: 'syslog' } | { kind: 'none' } | { kind: 'file'; path: string }

/** Where a directive came from, for messages: "mosquitto.conf:12". */
export interface Source { readonly file: string; readonly line: number }

/**
 * mosquitto's "security options": global, or one set per listener when `per_listener_settings true`.
 * `allowAnonymous` is undefined until resolved (mosquitto's -1): resolveDefaults() turns it into a boolean.
 */
export interface SecurityOptions {
  allowAnonymous: boolean | undefined
  passwordFile: string | undefined
  aclFile: string | undefined
  allowZeroLengthClientId: boolean
  autoIdPrefix: string
}

export interface ListenerConfig {
  /** TCP port; 0 with `path` is a unix socket. `-p 0` / `listener 0 <addr>` is not allowed by mosquitto, but ours binds a free port. */
  port: number
  /** Bind address (host name or IP); undefined = all interfaces. */
  host: string | undefined
  /** Unix socket path (`listener 0 /path`). */
  path: string | undefined
  protocol: ListenerProtocol
  socketDomain: 'ipv4' | 'ipv6' | undefined
  /** −1 = unlimited. */
  maxConnections: number
  maxQos: 0 | 1 | 2
  cafile: string | undefined
  capath: string | undefined
  certfile: string | undefined
  keyfile: string | undefined
  requireCertificate: boolean
  /** The client certificate's Common Name is the username (needs require_certificate). */
  useIdentityAsUsername: boolean
  /** tls_version: the lowest TLS version accepted. */
  tlsVersion: 'tlsv1.3' | 'tlsv1.2' | 'tlsv1.1' | undefined
  ciphers: string | undefined
  /** Only meaningful with `per_listener_settings true`. */
  security: SecurityOptions
  /** Where the listener was declared; undefined for the default and local-only listeners. */
  source: Source | undefined
}

/** A `connection` block: the library's bridge specification, and where it was declared. */
export interface BridgeConfig extends BridgeSpec {
  addresses: BridgeAddress[]
  topics: BridgeTopic[]
  source: Source
}

export interface BrokerConfig {
  /** Listeners to open, in configuration order (the `port`/`bind_address` default listener last, as mosquitto). */
  listeners: ListenerConfig[]
  /** No `listener`, `port` or `bind_address`: loopback only, anonymous allowed (mosquitto 2.0 local-only mode). */
  localOnly: boolean
  perListenerSettings: boolean
  security: SecurityOptions
  persistence: boolean
  persistenceLocation: string | undefined
  /** undefined: tsbroker.db (not mosquitto's mosquitto.db, whose format we do not read: see persistencePath). */
  persistenceFile: string | undefined
  /** Read and ignored: every acknowledged change is on disk before its acknowledgement, there is nothing to autosave. */
  autosaveInterval: number
  maxInflightMessages: number
  maxQueuedMessages: number
  /** Bytes waiting per client (QoS 0 too); undefined: tsbroker's default (2 MiB); 0: unlimited. */
  maxQueuedBytes: number | undefined
  /** Bytes of broker memory above which no new work is taken; 0: no limit. */
  memoryLimit: number
  /** Bytes; 0 = the MQTT maximum. */
  messageSizeLimit: number
  /** Whole packets, bytes; 0 = no limit. */
  maxPacketSize: number
  maxKeepalive: number
  retainAvailable: boolean
  /** Topic aliases per v5 client, each way (mosquitto: per listener; tsbroker: one value). */
  maxTopicAlias: number
  /** Seconds; 0 disables $SYS. */
  sysInterval: number
  logTypes: Set<LogType>
  logDest: LogDest[]
  logTimestamp: boolean
  connectionMessages: boolean
  /** Written with the broker's process id before it listens, removed on exit. */
  pidFile: string | undefined
  /** Started as root: after binding, run as this user (and its group), as mosquitto does. */
  user: string | undefined
  /** `connection` blocks, in configuration order. */
  bridges: BridgeConfig[]
  /** One line each, already formatted: `Warning: … (file:line).` */
  warnings: string[]
}

/** A configuration that cannot be used. The message already names file and line. Exit 1. */
export class ConfigError extends MqttError {
  constructor(message: string, readonly source?: Source) {
    super(source ? `${message.replace(/\.$/, '')} (${source.file}:${source.line}).` : message, 'ERR_CONFIG')
  }
}

export function defaultSecurity(): SecurityOptions {
  return { allowAnonymous: undefined, passwordFile: undefined, aclFile: undefined, allowZeroLengthClientId: true, autoIdPrefix: 'auto-' }
}

export function defaultListener(port: number, host?: string): ListenerConfig {
  return {
    port, host, path: undefined, protocol: 'mqtt', socketDomain: undefined, maxConnections: -1, maxQos: 2,
    cafile: undefined, capath: undefined, certfile: undefined, keyfile: undefined, requireCertificate: false,
    useIdentityAsUsername: false, tlsVersion: undefined, ciphers: undefined, security: defaultSecurity(), source: undefined,
  }
}

export const DEFAULT_LOG_TYPES: readonly LogType[] = ['error', 'warning', 'notice', 'information']

export function defaultConfig(): BrokerConfig {
  return {
    listeners: [], localOnly: true, perListenerSettings: false, security: defaultSecurity(),
    persistence: false, persistenceLocation: undefined, persistenceFile: undefined, autosaveInterval: 1800,
    maxInflightMessages: 20, maxQueuedMessages: 1000, maxQueuedBytes: undefined, memoryLimit: 0, maxPacketSize: 0, messageSizeLimit: 0, maxKeepalive: 65535,
    retainAvailable: true, maxTopicAlias: 10, sysInterval: 10, logTypes: new Set(DEFAULT_LOG_TYPES), logDest: [{ kind: 'stderr' }],
    logTimestamp: true, connectionMessages: true, pidFile: undefined, user: undefined, bridges: [], warnings: [],
  }
}

/**
 * The store file for `persistence true`: persistence_location (default: the current directory) joined with
 * persistence_file. The default name is tsbroker.db rather than mosquitto's mosquitto.db, so a
 * mosquitto.conf pointing at /var/lib/mosquitto/ never makes tsbroker open mosquitto's own file.
 */
export function persistencePath(config: BrokerConfig, cwd: string): string | undefined {
  if (!config.persistence) return undefined
  const dir = config.persistenceLocation ?? cwd
  return `${dir.endsWith('/') ? dir : `${dir}/`}${config.persistenceFile ?? 'tsbroker.db'}`
}
