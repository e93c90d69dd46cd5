// Authentication and authorization hooks. Optional methods; with several hook sets, any deny wins.
import type { ProtocolVersion } from '../codec/index.js'

export interface ClientInfo {
  readonly clientId: string
  readonly username: string | undefined
  readonly protocolVersion: ProtocolVersion
  /** "127.0.0.1:5678" */
  readonly remoteAddress: string
  /** The listener the client came in on (its port, as a string; "inline" for broker.handle()). */
  readonly listener: string
}

export interface ConnectInfo extends ClientInfo {
  readonly password: Buffer | undefined
}

/** ok, or a v5 reason code (134 bad user name or password, 135 not authorized); v3 clients get 4 / 5. */
export type AuthResult = { ok: true } | { ok: false; reasonCode: number }

export interface BrokerHooks {
  /** Decide whether a CONNECT is accepted. Absent: every client is accepted. */
  authenticate?(c: ConnectInfo): AuthResult | Promise<AuthResult>
  /** May this client publish to `topic` (mosquitto's `write` access)? */
  authorizePublish?(c: ClientInfo, topic: string): boolean | Promise<boolean>
  /** May this client receive a message on `topic` (mosquitto's `read` access, checked on delivery)? Sync: hot path. */
  authorizeRead?(c: ClientInfo, topic: string): boolean
}
