// The directives tsbroker understands, as one table: name → how it changes the parse state.
// Semantics follow mosquitto 2.0's conf.c (reference §9); deviations are commented where they happen.
import { defaultListener, type BridgeConfig, type BrokerConfig, type ListenerConfig, type LogDest, type LogType, type SecurityOptions } from './types.js'
import { setOnce, type DirectiveLine } from './values.js'

export interface ParseState {
  config: BrokerConfig
  /** Options given before any `listener` line (and `port`/`bind_address`) go here. */
  defaultListener: ListenerConfig
  /** The default listener gets opened only if something configured it (mosquitto's long `if` in config__parse_args). */
  defaultListenerUsed: boolean
  /** The listener that listener options apply to; each file starts at the default listener, as in mosquitto. */
  current: ListenerConfig
  /** A security option was seen: `per_listener_settings` must come before it. */
  securitySeen: boolean
  /** The bridge block bridge directives apply to (the last `connection` of this file, as mosquitto). */
  bridge: BridgeConfig | undefined
  /** The first log_type / log_dest replaces the defaults, later ones add. */
  logTypeSet: boolean
  logDestSet: boolean
}

export type Directive = (s: ParseState, l: DirectiveLine) => void

const LOG_TYPES: readonly LogType[] = ['debug', 'error', 'warning', 'notice', 'information', 'subscribe', 'unsubscribe', 'websockets']

/** Global or per listener, depending on `per_listener_settings` (mosquitto's conf__set_cur_security_options). */
function security(s: ParseState): SecurityOptions {
  s.securitySeen = true
  return s.config.perListenerSettings ? s.current.security : s.config.security
}

/** A directive that configures the current listener (and so makes the default listener real). */
function onListener(fn: (li: ListenerConfig, l: DirectiveLine) => void): Directive {
  return (s, l) => {
    fn(s.current, l)
    if (s.current === s.defaultListener) s.defaultListenerUsed = true
  }
}

const setGlobal = <K extends keyof BrokerConfig>(key: K, read: (l: DirectiveLine) => BrokerConfig[K]): Directive =>
  (s, l) => { s.config[key] = read(l) }

const U32 = 2 ** 31 - 1

export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  // Listeners
  listener: (s, l) => {
    const [portWord, where] = l.words()
    if (portWord === undefined) throw l.error('Empty listener value in configuration.')
    if (!/^\d+$/.test(portWord) || Number(portWord) > 65535) throw l.error(`Invalid port value (${portWord}).`)
    const port = Number(portWord)
    const addr = where === undefined || where.startsWith('#') ? undefined : where
    if (port === 0 && addr === undefined) throw l.error('A listener with port 0 must provide a Unix socket path.')
    const li = defaultListener(port, port === 0 ? undefined : addr)
    if (port === 0) li.path = addr
    li.source = l.source
    s.config.listeners.push(li)
    s.config.localOnly = false
    s.current = li
  },
  port: (s, l) => {
    // Deprecated in mosquitto 2.0 but still common: sets the default listener's port.
    if (s.defaultListener.port !== 0) l.warn('Default listener port specified multiple times. Only the latest will be used')
    s.defaultListener.port = l.int(1, 65535, 'port')
    s.defaultListenerUsed = true
    s.config.localOnly = false
  },
  bind_address: (s, l) => {
    s.defaultListener.host = setOnce(l, s.defaultListener.host, 'default listener bind_address')
    s.defaultListenerUsed = true
    s.config.localOnly = false
  },
  protocol: onListener((li, l) => { li.protocol = l.choice(['mqtt', 'websockets'] as const) }),
  socket_domain: onListener((li, l) => { li.socketDomain = l.choice(['ipv4', 'ipv6'] as const) }),
  max_connections: onListener((li, l) => { li.maxConnections = Math.max(-1, l.int(-U32, U32)) }),
  maximum_qos: onListener((li, l) => { li.maxQos = l.int(0, 2) as 0 | 1 | 2 }),
  max_qos: onListener((li, l) => { li.maxQos = l.int(0, 2) as 0 | 1 | 2 }),
  cafile: onListener((li, l) => { li.cafile = setOnce(l, li.cafile) }),
  capath: onListener((li, l) => { li.capath = setOnce(l, li.capath) }),
  certfile: onListener((li, l) => { li.certfile = setOnce(l, li.certfile) }),
  keyfile: onListener((li, l) => { li.keyfile = setOnce(l, li.keyfile) }),
  require_certificate: onListener((li, l) => { li.requireCertificate = l.bool() }),
  use_identity_as_username: onListener((li, l) => { li.useIdentityAsUsername = l.bool() }),
  tls_version: onListener((li, l) => { li.tlsVersion = l.choice(['tlsv1.3', 'tlsv1.2', 'tlsv1.1'] as const) }),
  ciphers: onListener((li, l) => { li.ciphers = l.string() }),

  // Security (global, or per listener with per_listener_settings)
  per_listener_settings: (s, l) => {
    const v = l.bool()
    if (v && s.securitySeen) throw l.error('per_listener_settings must be set before any other security settings.')
    s.config.perListenerSettings = v
  },
  allow_anonymous: (s, l) => { security(s).allowAnonymous = l.bool() },
  password_file: (s, l) => {
    const sec = security(s)
    sec.passwordFile = setOnce(l, sec.passwordFile)
    if (s.config.perListenerSettings && s.current === s.defaultListener) s.defaultListenerUsed = true
  },
  acl_file: (s, l) => { const sec = security(s); sec.aclFile = setOnce(l, sec.aclFile) },
  allow_zero_length_clientid: (s, l) => { security(s).allowZeroLengthClientId = l.bool() },
  auto_id_prefix: (s, l) => { security(s).autoIdPrefix = l.string() },

  // Persistence
  persistence: setGlobal('persistence', (l) => l.bool()),
  persistence_location: setGlobal('persistenceLocation', (l) => l.string()),
  persistence_file: setGlobal('persistenceFile', (l) => l.string()),
  // Accepted and unnecessary: the store syncs every acknowledged change before acknowledging it.
  autosave_interval: setGlobal('autosaveInterval', (l) => Math.max(0, l.int(-U32, U32))),
  autosave_on_changes: (_s, l) => { l.bool() },

  // Limits
  // mosquitto: negative or 65535 means 0 (unlimited); a negative queue length means 0.
  max_inflight_messages: setGlobal('maxInflightMessages', (l) => { const n = l.int(-U32, 65535); return n < 0 || n === 65535 ? 0 : n }),
  max_queued_messages: setGlobal('maxQueuedMessages', (l) => Math.max(0, l.int(-U32, U32))),
  message_size_limit: setGlobal('messageSizeLimit', (l) => l.int(0, 268435455)),
  max_packet_size: setGlobal('maxPacketSize', (l) => Math.max(0, l.int(-U32, 268435460))),
  max_queued_bytes: setGlobal('maxQueuedBytes', (l) => Math.max(0, l.int(-U32, 2 ** 53 - 1))),
  memory_limit: setGlobal('memoryLimit', (l) => Math.max(0, l.int(-U32, 2 ** 53 - 1))),
  max_keepalive: setGlobal('maxKeepalive', (l) => l.int(10, 65535)),
  retain_available: setGlobal('retainAvailable', (l) => l.bool()),
  sys_interval: setGlobal('sysInterval', (l) => l.int(0, 65535)),
  max_topic_alias: setGlobal('maxTopicAlias', (l) => l.int(0, 65535)),

  // Logging
  log_type: (s, l) => {
    const v = l.choice([...LOG_TYPES, 'none', 'all'] as const)
    if (!s.logTypeSet) s.config.logTypes.clear()
    s.logTypeSet = true
    if (v === 'none') s.config.logTypes.clear()
    else if (v === 'all') LOG_TYPES.forEach((t) => s.config.logTypes.add(t))
    else s.config.logTypes.add(v)
  },
  log_dest: (s, l) => {
    const [kind, ...rest] = l.words()
    if (kind === undefined) throw l.error('Empty log_dest value in configuration.')
    let dest: LogDest | undefined
    if (kind === 'stderr' || kind === 'stdout' || kind === 'none' || kind === 'syslog') dest = { kind }
    else if (kind === 'file') {
      if (rest.length === 0) throw l.error('Empty "log_dest file" value in configuration.')
      dest = { kind: 'file', path: l.rest.slice('file'.length).trim() }
    } else if (kind === 'topic' || kind === 'dlt') l.warn(`log_dest ${kind} is not supported by tsbroker; ignored`)
    else throw l.error(`Invalid log_dest value (${kind}).`)
    if (!s.logDestSet) s.config.logDest = []
    s.logDestSet = true
    if (dest?.kind === 'none') s.config.logDest = []
    else if (dest) s.config.logDest.push(dest)
  },
  log_timestamp: setGlobal('logTimestamp', (l) => l.bool()),
  connection_messages: setGlobal('connectionMessages', (l) => l.bool()),
  pid_file: (s, l) => { s.config.pidFile = setOnce(l, s.config.pidFile) },
  user: (s, l) => { s.config.user = setOnce(l, s.config.user) },
}
