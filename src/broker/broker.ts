// The broker's public API: createBroker(options) → listen / handle / publish / stats / close.
// MQTT 3.1, 3.1.1 and 5.0 share every listener; the protocol version is learned from each CONNECT.
import type { Duplex } from 'node:stream'
import type { PublishProperties, QoS } from '../codec/index.js'
import { disconnect } from '../codec/packets.js'
import { RC } from '../codec/reason-codes.js'
import { parseSharedFilter } from '../codec/topics.js'
import type { Outbound } from '../core/session.js'
import { MqttError } from '../core/errors.js'
import { Bridges, type BridgeHost } from './bridge/bridges.js'
import { BrokerClient, type BrokerContext, type ConnectionMeta } from './broker-client.js'
import { FlowControl, flowOptionsFor } from './flow-control.js'
import { HookChain } from './hook-chain.js'
import { KeepaliveWheel } from './keepalive.js'
import type { ClientInfo } from './hooks.js'
import {
  createListener, type Listener, type ListenSpec, type ListenerAddress, type TcpAddress, type UnixAddress,
  type UnixListenSpec,
} from './listeners/index.js'
import { isExpired, makeMessage, type Delivery, type Message } from './message.js'
import { MemoryLimit } from './memory-limit.js'
import { Log, resolveOptions, type BrokerOptions, type ResolvedOptions } from './options.js'
import type { DurableStore } from './persistence/durable-store.js'
import { openJournalStore } from './persistence/journal-store.js'
import { RetainedMessages } from './retained.js'
import { Router, type RouteTarget } from './router.js'
import type { BrokerSession } from './session.js'
import { Accounting } from './session-events.js'
import { Sessions } from './sessions.js'
import { newStats, type BrokerStats } from './stats.js'
import { startSysPublisher, type SysPublisher } from './sys-tree.js'

/** A message published by the broker itself (e.g. $SYS), routed like a client's PUBLISH. */
export interface InlinePublish {
  topic: string
  payload: Buffer
  /** Default 0. */
  qos?: QoS
  /** Default false. */
  retain?: boolean
  properties?: PublishProperties
}

export interface Broker {
  /**
   * Accept MQTT connections: TCP (`{ port, host }`, port 0 = any free port), TLS (`{ type: 'tls', port, tls }`),
   * a Unix socket (`{ path }`) or WebSocket (`{ type: 'ws' | 'wss', port, tls? }`), TLS material as bytes or paths.
   */
  listen(spec: UnixListenSpec): Promise<UnixAddress>
  listen(spec: Exclude<ListenSpec, UnixListenSpec>): Promise<TcpAddress>
  listen(spec: ListenSpec): Promise<ListenerAddress>
  /** Serve one already-open stream (a socket, or one end of a duplex pair in tests). */
  handle(stream: Duplex, meta?: ConnectionMeta): void
  /** Publish from inside the process; retained and routed like a client's message. */
  publish(msg: InlinePublish): void
  /** Counters for $SYS, kept current on the hot path. */
  readonly stats: BrokerStats
  /**
   * With persistence: resolves once everything recorded so far is on disk (rejects if it could not be
   * written). Without: resolves at once. Acknowledgements never need it; tests and embedders may.
   */
  flush(): Promise<void>
  /**
   * Stop accepting on every listener, publish connected clients' wills, close every connection and every
   * listener, stop $SYS, write out what the durable store holds; resolves when all are gone.
   */
  close(): Promise<void>
}

/**
 * Create a broker. It listens nowhere until `listen()` is called. With `persistence`, the store is read
 * back here (synchronously: the broker starts with what was acknowledged before it stopped).
 */
export function createBroker(options: BrokerOptions = {}): Broker {
  return new BrokerImpl(options)
}

/** How long close() lets sockets flush before destroying them. */
const CLOSE_GRACE_MS = 2000

class BrokerImpl implements Broker, BrokerContext, RouteTarget {
  readonly opts: ResolvedOptions
  readonly stats: BrokerStats
  readonly log: Log
  readonly hooks: HookChain
  readonly router: Router
  readonly retained: RetainedMessages
  readonly sessions: Sessions
  readonly flow: FlowControl
  readonly keepalives: KeepaliveWheel
  readonly store: DurableStore | undefined
  readonly memory: MemoryLimit
  readonly clients = new Map<string, BrokerClient>()
  readonly #connections = new Set<BrokerClient>()
  readonly #listeners: Listener[] = []
  readonly #sys: SysPublisher
  readonly #bridges: Bridges
  #closing: Promise<void> | undefined
  #allGone: (() => void) | undefined
  /** The client whose PUBLISH is being routed (undefined: the broker's own message), for flow control. */
  #publisher: BrokerClient | undefined

  constructor(options: BrokerOptions) {
    this.opts = resolveOptions(options)
    const clock = this.opts.clock
    this.stats = newStats(clock.now())
    this.log = new Log(options.logger, options.logLevels)
    // checked (TLS files read) before anything is opened: a bad specification leaves nothing behind
    this.#bridges = new Bridges(this.#bridgeHost(), options.bridges ?? [])
    this.hooks = new HookChain(options.hooks)
    const events = new Accounting(this.stats, (s, e) => this.#dropOnStart(s, e))
    this.router = new Router(this)
    this.flow = new FlowControl(flowOptionsFor(this.opts.maxQueuedMessages), clock)
    this.keepalives = new KeepaliveWheel(clock)
    this.retained = new RetainedMessages(events)
    this.sessions = new Sessions(events, this.router, this.stats, {
      maxInflight: this.opts.maxInflightMessages,
      maxQueued: this.opts.maxQueuedMessages,
      clock,
      persistentClientExpirationMs: this.opts.persistentClientExpirationMs,
      publishWill: (m, s) => this.publishWill(m, s.info),
    })
    this.memory = new MemoryLimit(this.opts.memoryLimit, clock, options.memorySample, (over, bytes) => this.log.write(
      over ? 'warning' : 'notice',
      over ? `Memory ${Math.round(bytes / 1e6)} MB is over memory_limit: refusing new connections and messages.` : 'Memory is under memory_limit again.',
    ))
    if (options.persistence) {
      const store = openJournalStore(options.persistence, {
        clock, log: this.log,
        state: { retained: () => this.retained.values(), sessions: () => [...this.sessions.values()].filter((s) => s.persistent) },
        restore: (loaded) => {
          for (const m of loaded.retained) this.retained.restore(m)
          for (const s of loaded.sessions) this.sessions.restore(s, restoredFilter)
        },
      })
      events.next = store
      this.store = store
    }
    this.#sys = startSysPublisher(this, {
      intervalSeconds: options.sysInterval ?? 0, version: options.version ?? 'tsbroker', clock,
      onError: (e) => this.log.write('debug', `$SYS publish failed: ${e instanceof Error ? e.message : String(e)}`),
    })
    this.#bridges.start()
  }

  /** What the bridges see of this broker: in-memory trusted connections, its own publish, held counts. */
  #bridgeHost(): BridgeHost {
    return {
      log: this.log,
      clock: this.opts.clock,
      connect: (stream, name) => this.handle(stream, { remoteAddress: `bridge ${name}`, listener: 'bridge', trusted: true }),
      publish: (m) => this.publish(m),
      held: (clientId) => {
        const q = this.sessions.get(clientId)?.qos
        return q === undefined ? 0 : q.inflightCount + q.queuedCount
      },
      maxInflight: this.opts.maxInflightMessages,
      maxQueued: this.opts.maxQueuedMessages,
    }
  }

  listen(spec: UnixListenSpec): Promise<UnixAddress>
  listen(spec: Exclude<ListenSpec, UnixListenSpec>): Promise<TcpAddress>
  listen(spec: ListenSpec): Promise<ListenerAddress>
  async listen(spec: ListenSpec): Promise<ListenerAddress> {
    if (this.#closing) throw new MqttError('the broker is closed', 'ERR_BROKER_CLOSED')
    const listener = await createListener(spec, {
      accept: (c) => this.handle(c.stream, { remoteAddress: c.remoteAddress, listener: c.listener, certificateUsername: c.certificateUsername }),
      log: (line) => this.log.write('notice', line),
    })
    const address = await listener.listen()
    if (this.#closing) { await listener.close(); throw new MqttError('the broker is closed', 'ERR_BROKER_CLOSED') }
    this.#listeners.push(listener)
    return address
  }

  handle(stream: Duplex, meta: ConnectionMeta = {}): void {
    if (this.#closing) { stream.destroy(); return }
    this.stats.connectionsTotal++
    this.log.write('notice', `New connection from ${meta.remoteAddress ?? 'inline'} on port ${meta.listener ?? 'inline'}.`)
    this.#connections.add(new BrokerClient(this, stream, meta))
  }

  publish(msg: InlinePublish): void {
    const m = makeMessage(msg.topic, msg.payload, msg.qos ?? 0, msg.retain ?? false, msg.properties, this.opts.now())
    this.publishMessage(m, undefined)
  }

  publishMessage(m: Message, from: BrokerSession | undefined): number {
    if (m.retain) this.retained.update(m)
    const outer = this.#publisher
    this.#publisher = from?.client
    try {
      return this.router.route(m, from)
    } finally {
      this.#publisher = outer
    }
  }

  /** Publish a will (authorized like its client's PUBLISH); the promise settles once it is routed. */
  publishWill(m: Message, info: ClientInfo | undefined): Promise<void> | undefined {
    if (this.log.debug) this.log.write('debug', `Publishing will to '${m.topic}' (${m.payload.length} bytes)`)
    if (!this.hooks.checksPublish || info === undefined) { this.publishMessage(m, undefined); return undefined }
    const allowed = this.hooks.authorizePublish(info, m.topic)
    if (!(allowed instanceof Promise)) { if (allowed) this.publishMessage(m, undefined); return undefined }
    return allowed.then(
      (ok) => { if (ok) this.publishMessage(m, undefined) },
      (e: unknown) => this.log.write('error', `Will of ${info.clientId} not published: ${String(e)}`),
    )
  }

  /** RouteTarget: read access is checked on delivery, as mosquitto does; offline sessions queue QoS 1/2. */
  deliver(session: BrokerSession, m: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): boolean {
    const c = session.client
    if (this.hooks.checksRead) {
      const info = c?.info ?? session.info
      if (info !== undefined && !this.hooks.authorizeRead(info, m.topic)) return false
    }
    if (c !== undefined && c.state === 'connected') return c.deliver(session, m, qos, retain, subIds, this.opts.now(), this.#publisher)
    if (qos === 0) return false // QoS 0 is not queued for offline clients (mosquitto's queue_qos0_messages false)
    const limit = this.opts.maxQueuedBytes
    if ((limit === 0 || session.queuedBytes === 0 || session.queuedBytes + m.payload.length <= limit) && session.qos.publish({ message: m, retain, subIds }, qos) !== null) return true
    this.stats.publishDropped++ // max_queued_messages / max_queued_bytes
    return false
  }

  /** A queued message is about to go in flight: an expired one is deleted [MQTT-3.3.2-5], a too large one dropped. */
  #dropOnStart(s: BrokerSession, e: Outbound<Delivery>): boolean {
    const d = e.tag
    const now = this.opts.now()
    if (isExpired(d.message, now)) return true
    const c = s.client
    return c !== undefined && c.maxPacketSize !== undefined && c.tooLarge(d.message, e.qos, d.retain, d.subIds, now)
  }

  flush(): Promise<void> {
    const store = this.store
    if (store === undefined) return Promise.resolve()
    return new Promise((resolve, reject) => store.whenSynced(store.ticket, (ok) => (ok ? resolve() : reject(new MqttError('the persistence file could not be written', 'ERR_PERSISTENCE')))))
  }

  connectionClosed(c: BrokerClient): void {
    this.#connections.delete(c)
    if (this.#connections.size === 0) this.#allGone?.()
  }

  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    // Bridges first, while their local side is still connected: `0` on the state topic here, and the remote
    // connections closed without DISCONNECT, so the remotes publish the wills (as mosquitto stops its bridges).
    await this.#bridges.stop()
    this.#sys.stop()
    const listenersClosed = this.#listeners.map((l) => l.close()) // stop accepting at once
    const gone = new Promise<void>((resolve) => {
      this.#allGone = resolve
      if (this.#connections.size === 0) resolve()
    })
    // Wills first, while every other connection can still receive them (the client did not choose to leave).
    const wills: Promise<void>[] = []
    for (const c of this.#connections) {
      const s = c.state === 'connected' && c.session?.client === c ? c.session : undefined
      const will = s?.will
      if (s) s.will = undefined
      const pending = will && this.publishWill(will.message, c.info)
      if (pending) wills.push(pending)
    }
    await Promise.all(wills)
    for (const c of this.#connections) {
      if (c.state === 'connected' && c.version === 5) c.send(disconnect(RC.SERVER_SHUTTING_DOWN))
      c.closeLogged = true
      c.end()
    }
    // Real time, not the broker's clock: this bounds how long sockets may take to flush, it is no MQTT rule.
    const timer = setTimeout(() => { for (const c of this.#connections) c.conn.destroy() }, CLOSE_GRACE_MS).unref()
    await gone
    clearTimeout(timer)
    await Promise.all(listenersClosed)
    this.sessions.stopTimers()
    this.keepalives.close()
    this.memory.stop()
    await this.store?.close()
  }
}

/** Subscriptions read back from the store were validated when they were made. */
function restoredFilter(filter: string): { topicFilter: string; group: string | undefined } {
  const shared = parseSharedFilter(filter)
  return shared ? { topicFilter: shared.filter, group: shared.group } : { topicFilter: filter, group: undefined }
}
