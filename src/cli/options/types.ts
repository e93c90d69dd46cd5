// What the shared pub/sub/rr option parser produces (mosquitto's struct mosq_config, made explicit).
import type {
  ConnectProperties, DisconnectProperties, ProtocolVersion, PublishProperties, QoS, SubscribeProperties,
  UserProperties, WillProperties,
} from '../../codec/index.js'
import type { BenchConfig } from './bench-options.js'

export type Tool = 'pub' | 'sub' | 'rr' | 'bench'

export type ParseResult =
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string }
  | { kind: 'completion'; text: string }
  | { kind: 'config'; text: string } // --print-config
  | { kind: 'run'; config: ClientConfig }

export type UnsubscribeProperties = { userProperties?: UserProperties }

/** Where the payload of tspub / the request of tsrr comes from (exactly one of -m -f -s -l -n --ndjson). */
export type PayloadSource =
  | { mode: 'message'; payload: Buffer } // -m: the argv bytes, no trailing NUL
  | { mode: 'file'; path: string } // -f: read at run time, whole file is one payload
  | { mode: 'stdin-file' } // -s: all of stdin is one payload
  | { mode: 'stdin-line' } // -l: one message per stdin line (tspub only)
  | { mode: 'ndjson' } // --ndjson (ours): one message per stdin line, each a `tssub --json` record (tspub only)
  | { mode: 'null' } // -n: zero-length payload

/** Where the password comes from. `argv` = -P or the password part of -L; the others are ours (contract 6). */
export type PasswordSource =
  | { kind: 'none' }
  | { kind: 'argv' }
  | { kind: 'env' } // TSMQTT_PASSWORD, used when a username is set and no -P / --pw-* / -L password is on the command line
  | { kind: 'prompt' } // --pw-prompt: the command asks on the TTY without echo
  | { kind: 'file'; path: string } // --pw-file: first line of the file, read by the command at run time

/** v5 properties per packet, as mqtt-packet property objects. Absent = none given. */
export interface CommandProperties {
  connect?: ConnectProperties
  publish?: PublishProperties
  subscribe?: SubscribeProperties
  unsubscribe?: UnsubscribeProperties
  disconnect?: DisconnectProperties
  will?: WillProperties
}

export interface WillConfig {
  topic: string
  payload: Buffer
  qos: QoS
  retain: boolean
  properties?: WillProperties
}

/** Present when the connection uses TLS (cafile/capath, psk, --tls-use-os-certs, mqtts://, or port 8883). */
export interface TlsConfig {
  cafile?: string
  capath?: string
  certfile?: string
  keyfile?: string
  keyform?: 'pem' | 'engine'
  ciphers?: string
  /** tlsv1.3 | tlsv1.2 | tlsv1.1 (lower case). */
  version?: string
  alpn?: string
  /** Trust the system CA store (--tls-use-os-certs, mqtts://, port 8883 without --cafile/--capath). */
  useOsCerts: boolean
  /** 2.0 meaning: skip the host name check only. */
  insecure: boolean
  engine?: string
  engineKpassSha1?: string
  /** TLS-PSK key in hex, with its identity. */
  psk?: string
  pskIdentity?: string
}

export interface ProxyConfig { host: string; port: number; username?: string; password?: string }

export interface ClientConfig {
  tool: Tool

  // Connection
  host: string
  /** Resolved: -p/-L, else 8883 with --cafile/--capath/--psk, else 1883; 0 with --unix. */
  port: number
  unixPath?: string
  bindAddress?: string
  proxy?: ProxyConfig
  tls?: TlsConfig
  /** MQTT over WebSocket (--ws, -L ws[s]://): ws://host:port/mqtt, or wss:// with TLS. */
  websockets: boolean
  noDelay: boolean

  // Session
  protocolVersion: ProtocolVersion
  /** -i, or -I prefix + pid; '' = none given (v3.1.1/v5 broker assigns one; v3.1 needs the command to make one). */
  clientId: string
  idPrefix?: string
  keepalive: number
  clean: boolean
  /** v5 session-expiry-interval sent in CONNECT (also in properties.connect); undefined = not sent. */
  sessionExpiry?: number
  username?: string
  /** -P, -L user:pass@, or TSMQTT_PASSWORD; undefined for prompt/file sources (the command reads those). */
  password?: string
  passwordSource: PasswordSource
  /** -M: unacknowledged QoS>0 publishes in flight. */
  maxInflight: number
  will?: WillConfig
  properties: CommandProperties

  // Diagnostics
  quiet: boolean
  debug: boolean
  /** --no-color (ours). */
  noColor: boolean

  // Publish side (pub, rr)
  qos: QoS
  retain: boolean
  /** pub/rr: the publish (request) topic; last -t / -L wins. */
  topic?: string
  payload?: PayloadSource
  repeat: number
  /** Seconds to wait after each completed publish (--repeat-delay). */
  repeatDelay: number
  /** -l --topic-separator (ours): each line is `topic SEP payload`. */
  topicSeparator?: string
  /** --strict (ours): the first malformed line of --ndjson / --topic-separator ends the run. */
  strict: boolean
  /** --replay-timing / --replay-speed (ours): --ndjson keeps the recorded gaps, divided by this. */
  replaySpeed?: number

  // Subscribe side (sub, rr)
  /** sub: every -t and -L topic, in order. rr: [responseTopic]. */
  topics: string[]
  filterOut: string[]
  unsubscribe: string[]
  /** rr -e: subscribed to, and sent as the Response-Topic of the request. */
  responseTopic?: string
  verbose: boolean
  noEol: boolean
  format?: string
  pretty: boolean
  json: boolean
  /** -C (sub), fixed 1 for rr; undefined = unlimited. */
  count?: number
  exitAfterSuback: boolean
  /** -W seconds. */
  timeout?: number
  noRetained: boolean
  retainedOnly: boolean
  removeRetained: boolean
  retainAsPublished: boolean
  /** --random-filter: percentage of messages to print (0.1 .. 99.9, steps of 0.1); undefined = all (also for 100 .. 1000). */
  randomFilter?: number

  /** tsbench: its own options. */
  bench?: BenchConfig
}
