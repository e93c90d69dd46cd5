// What a Client can be told, its defaults, and the CONNECT packet it sends on every connection attempt.
import type {
  ConnectPacket, ConnectProperties, DisconnectProperties, ProtocolVersion, QoS, WillProperties,
} from '../codec/index.js'
import type { Clock } from '../core/clock.js'
import { systemClock } from '../core/clock.js'
import type { BridgeConnect } from '../codec/packets.js'
import type { Endpoint } from '../core/endpoint.js'
import { openTransport, type TransportFactory, type TransportOptions } from '../core/transport.js'

export interface ReconnectOptions {
  /** Wait before the first reconnect attempt (default 1000 ms, libmosquitto's reconnect_delay). */
  initialDelayMs?: number
  /** The backoff never waits longer than this (default 30000 ms). */
  maxDelayMs?: number
  /** Each failed attempt multiplies the wait by this (default 2; 1 = a fixed delay, as mosquitto's clients). */
  factor?: number
  /**
   * Decides when to try again, instead of the backoff above (a bridge: mosquitto's jittered restart_timeout and
   * its lazy and once start types). Called after every failed attempt and every lost connection with why; the
   * next attempt starts when it resolves true, and none follows when it resolves false. A refused CONNACK is
   * then retried too, as a bridge keeps trying. disconnect()/close()/destroy() stop the loop without waiting for it.
   */
  next?: (reason: Error | undefined) => Promise<boolean>
}

export interface ClientOptions extends TransportOptions {
  /** Default 4 (MQTT 3.1.1), as mosquitto_pub and MQTT.js. */
  protocolVersion?: ProtocolVersion
  /** Default '': the broker assigns one (v3.1.1 with a clean session, v5). */
  clientId?: string
  /** Default true. */
  clean?: boolean
  /** Seconds; default 60. */
  keepalive?: number
  /** Default: the URL's user information. */
  username?: string
  password?: Buffer | string
  will?: { topic: string; payload: Buffer; qos: QoS; retain: boolean; properties?: WillProperties }
  properties?: ConnectProperties
  /** v5 properties for every DISCONNECT we send (-D disconnect …). */
  disconnectProperties?: DisconnectProperties
  /** Our limit of unacknowledged QoS>0 publishes (mosquitto's -M, default 20). */
  maxInflight?: number
  /**
   * Reconnect when the connection drops (default off). The session lives on: unacknowledged QoS 1/2
   * publishes are resent after the reconnect, and publish() promises settle across it.
   */
  reconnect?: boolean | ReconnectOptions
  /** Inbound QoS 1/2 messages are acknowledged only when `client.ack(message)` is called (default off). */
  manualAck?: boolean
  /**
   * Connect as a bridge, as mosquitto's try_private does: an MQTT 3.1/3.1.1 CONNECT with protocol level | 0x80,
   * which mosquitto and tsbroker answer by never sending the bridge its own messages back and by keeping the
   * retain flag of what they send it. A broker that refuses that level (CONNACK 1) gets the plain level from the
   * next attempt on, as libmosquitto's bridge does. MQTT 5 has no such bit (its subscriptions say no-local).
   */
  bridge?: boolean
  /** Bound on waiting for CONNACK (default: the keepalive, as libmosquitto; 0 = no bound). */
  connectTimeoutMs?: number
  /** Opens the byte stream of each connection attempt. Default: by the URL's scheme (tests: in-memory streams). */
  transport?: TransportFactory
  /** Receives mosquitto's `-d` lines. */
  debug?: (line: string) => void
  clock?: Clock
}

export interface ResolvedReconnect {
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly factor: number
  readonly next: ((reason: Error | undefined) => Promise<boolean>) | undefined
}

export interface ResolvedClientOptions {
  readonly protocolVersion: ProtocolVersion
  readonly clientId: string
  readonly keepalive: number
  readonly maxInflight: number
  readonly reconnect: ResolvedReconnect | undefined
  readonly manualAck: boolean
  readonly connectTimeoutMs: number
  readonly transport: TransportFactory
  readonly clock: Clock
  readonly signal: AbortSignal | undefined
  readonly disconnectProperties: DisconnectProperties | undefined
  readonly debug: ((line: string) => void) | undefined
  /** Built once; every attempt sends the same CONNECT. */
  readonly connect: ConnectPacket
}

export function resolveClientOptions(endpoint: Endpoint, o: ClientOptions): ResolvedClientOptions {
  const protocolVersion = o.protocolVersion ?? 4
  const keepalive = o.keepalive ?? 60
  const username = o.username ?? endpoint.username
  const password = o.password ?? endpoint.password
  const r = o.reconnect
  const connect: BridgeConnect = {
    cmd: 'connect', protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT', protocolVersion,
    ...(o.bridge && protocolVersion !== 5 ? { bridgeMode: true } : {}),
    clientId: o.clientId ?? '', clean: o.clean ?? true, keepalive,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password: Buffer.from(password) } : {}),
    ...(o.will ? { will: { ...o.will } } : {}),
    ...(protocolVersion === 5 && o.properties ? { properties: o.properties } : {}),
  }
  return {
    protocolVersion,
    clientId: connect.clientId,
    keepalive,
    maxInflight: o.maxInflight ?? 20,
    reconnect: r ? {
      initialDelayMs: (r === true ? undefined : r.initialDelayMs) ?? 1000,
      maxDelayMs: (r === true ? undefined : r.maxDelayMs) ?? 30_000,
      factor: (r === true ? undefined : r.factor) ?? 2,
      next: r === true ? undefined : r.next,
    } : undefined,
    manualAck: o.manualAck ?? false,
    connectTimeoutMs: o.connectTimeoutMs ?? keepalive * 1000,
    transport: o.transport ?? ((signal) => openTransport(endpoint, { ...o, ...(signal ? { signal } : {}) })),
    clock: o.clock ?? systemClock,
    signal: o.signal,
    disconnectProperties: o.disconnectProperties,
    debug: o.debug,
    connect,
  }
}

/** The wait before reconnect attempt `attempt` (0 = the first after a drop): capped exponential backoff. */
export function backoffDelay(attempt: number, r: Omit<ResolvedReconnect, 'next'>): number {
  return Math.min(r.maxDelayMs, r.initialDelayMs * r.factor ** Math.min(attempt, 64))
}
