// Broker options, their defaults, and the logger contract.
import { systemClock, type Clock } from '../core/clock.js'
import type { BridgeSpec } from './bridge/spec.js'
import type { BrokerHooks } from './hooks.js'
import type { PersistenceOptions } from './persistence/options.js'

/** mosquitto's log types; the command decides which it prints. */
export type LogLevel = 'error' | 'warning' | 'notice' | 'information' | 'debug' | 'subscribe' | 'unsubscribe'

/** Receives one log line (mosquitto's wording, no timestamp, no newline). */
export type BrokerLogger = (level: LogLevel, line: string) => void

export interface BrokerOptions {
  /** Authentication / authorization hooks; with several sets, any deny wins. */
  hooks?: BrokerHooks | BrokerHooks[]
  /** Silent by default. */
  logger?: BrokerLogger
  /** Levels the logger wants (default: all). Lines of other levels are never even formatted (hot path). */
  logLevels?: readonly LogLevel[]
  /** Outgoing QoS 1/2 messages awaiting acknowledgement per client (default 20, 0 = unlimited). */
  maxInflightMessages?: number
  /** Messages queued per client, offline or behind the inflight window (default 1000, 0 = unlimited). */
  maxQueuedMessages?: number
  /**
   * Bytes waiting for one client (mosquitto's max_queued_bytes, counting QoS 0 too): payloads queued for it
   * plus what its socket has not taken yet. Beyond it messages to that client are dropped (and counted in
   * $SYS/broker/publish/messages/dropped); a client over it for a minute is disconnected. Default 2 MiB;
   * 0 = unlimited.
   */
  maxQueuedBytes?: number
  /**
   * mosquitto's memory_limit in bytes (heap + Buffers, sampled): above it new connections are refused and
   * incoming messages dropped (QoS 1/2: v5 PUBACK/PUBREC 0x97, v3 connection closed). Default 0 = none.
   */
  memoryLimit?: number
  /** How memory_limit measures the broker's memory (tests); heap + external Buffers by default. */
  memorySample?: () => number
  /**
   * mosquitto's max_packet_size: a client sending a larger packet (whole packet, bytes) is disconnected as
   * soon as its header is read (v5: DISCONNECT 0x95), and v5 clients are told it in CONNACK. 0 = no limit.
   */
  maxPacketSize?: number
  /** Largest accepted payload in bytes (0 = 268435455); larger PUBLISHes are dropped. */
  messageSizeLimit?: number
  /** Largest keepalive accepted (default 65535); v5 clients asking for more get a server-keep-alive. */
  maxKeepalive?: number
  /** Default true; false refuses retained PUBLISHes. */
  retainAvailable?: boolean
  /** Deepest topic name or filter accepted, in levels (default 200, as mosquitto); deeper ones are refused. */
  maxTopicLevels?: number
  /** Highest QoS the broker supports (default 2). */
  maxQos?: 0 | 1 | 2
  /**
   * mosquitto's max_topic_alias: topic aliases a v5 client may set towards the broker (default 10; 0 = none),
   * and the most the broker uses towards a client that accepts aliases.
   */
  maxTopicAlias?: number
  /** Default true: an empty client id gets `autoIdPrefix` + a UUID (v3.1 clients are always refused). */
  allowZeroLengthClientId?: boolean
  /** Default 'auto-'. */
  autoIdPrefix?: string
  /** Persistent sessions of offline clients are removed after this long (default: never). */
  persistentClientExpirationMs?: number
  /**
   * Keep retained messages, persistent sessions, their queues and in-flight state in a file: nothing
   * acknowledged is lost on a crash. Absent: everything is in memory only.
   */
  persistence?: PersistenceOptions
  /** Time for every timed rule: message and session expiry, will delay, keepalive (ms since the epoch). */
  clock?: Clock
  /**
   * Let mqtt-packet build its pre-encoded number table for this broker (see EncodeOptions). Default false:
   * MQTT 3.1/3.1.1 PUBLISH and acks are encoded without mqtt-packet, and the table costs ~6 MB of heap.
   */
  numberCache?: boolean
  /** Publish the $SYS tree now and every this many seconds (mosquitto's sys_interval); default 0 = never. */
  sysInterval?: number
  /** The payload of $SYS/broker/version (default "tsbroker"). */
  version?: string
  /**
   * Bridges to other brokers, as mosquitto.conf's `connection` blocks: started with the broker, stopped first
   * by close(). A specification that cannot be used makes createBroker() throw a BridgeConfigError.
   */
  bridges?: readonly BridgeSpec[]
}

export interface ResolvedOptions {
  readonly maxInflightMessages: number
  readonly maxQueuedMessages: number
  readonly maxQueuedBytes: number
  readonly memoryLimit: number
  readonly messageSizeLimit: number
  readonly maxPacketSize: number
  readonly maxKeepalive: number
  readonly retainAvailable: boolean
  readonly maxTopicLevels: number
  readonly maxQos: 0 | 1 | 2
  readonly maxTopicAlias: number
  readonly allowZeroLengthClientId: boolean
  readonly autoIdPrefix: string
  readonly persistentClientExpirationMs: number | undefined
  readonly clock: Clock
  readonly now: () => number
  readonly numberCache: boolean
}

export const DEFAULT_MAX_QUEUED_BYTES = 2 * 1024 * 1024

/** MQTT's largest remaining length, mosquitto's message_size_limit 0. */
export const MAX_PAYLOAD = 268435455

export function resolveOptions(o: BrokerOptions): ResolvedOptions {
  const clock = o.clock ?? systemClock
  return {
    maxInflightMessages: o.maxInflightMessages ?? 20,
    maxQueuedMessages: o.maxQueuedMessages ?? 1000,
    maxQueuedBytes: o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    memoryLimit: o.memoryLimit ?? 0,
    maxPacketSize: Math.max(0, o.maxPacketSize ?? 0),
    messageSizeLimit: o.messageSizeLimit ? Math.min(o.messageSizeLimit, MAX_PAYLOAD) : MAX_PAYLOAD,
    maxKeepalive: o.maxKeepalive ?? 65535,
    retainAvailable: o.retainAvailable ?? true,
    maxTopicLevels: o.maxTopicLevels ?? 200,
    maxQos: o.maxQos ?? 2,
    maxTopicAlias: Math.max(0, Math.min(65535, o.maxTopicAlias ?? 10)),
    allowZeroLengthClientId: o.allowZeroLengthClientId ?? true,
    autoIdPrefix: o.autoIdPrefix ?? 'auto-',
    persistentClientExpirationMs: o.persistentClientExpirationMs,
    clock,
    now: () => clock.now(),
    numberCache: o.numberCache ?? false, // the hot packets are encoded without mqtt-packet; its table costs ~6 MB of heap
  }
}

/** A logger that only formats what it will print: `log.on('debug') && log('debug', ...)`. */
export class Log {
  readonly #logger: BrokerLogger | undefined
  readonly #levels: ReadonlySet<LogLevel> | undefined
  readonly debug: boolean

  constructor(logger: BrokerLogger | undefined, levels: readonly LogLevel[] | undefined) {
    this.#logger = logger
    this.#levels = levels ? new Set(levels) : undefined
    this.debug = this.on('debug')
  }

  on(level: LogLevel): boolean {
    return this.#logger !== undefined && (this.#levels === undefined || this.#levels.has(level))
  }

  write(level: LogLevel, line: string): void {
    if (this.on(level)) this.#logger!(level, line)
  }
}
