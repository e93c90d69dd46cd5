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
  /** v5 Authentication Method of the CONNECT; only ever one a hook set lists in `authenticationMethods`. */
  readonly authenticationMethod?: string
  readonly authenticationData?: Buffer
}

/**
 * ok, or a v5 reason code (134 bad user name or password, 135 not authorized); v3 clients get 4 / 5.
 * With enhanced authentication, `authenticationData` goes back to the client in the CONNACK.
 */
export type AuthResult = { ok: true; authenticationData?: Buffer } | { ok: false; reasonCode: number }

export interface BrokerHooks {
  /** Decide whether a CONNECT is accepted. Absent: every client is accepted. */
  authenticate?(c: ConnectInfo): AuthResult | Promise<AuthResult>
  /**
   * MQTT 5 enhanced authentication (spec 4.12): the Authentication Methods this set's `authenticate`
   * implements. A CONNECT naming a method no hook set lists is refused with CONNACK 0x8C (Bad
   * authentication method) [MQTT-4.12.0-1]. One step only: `authenticate` sees the CONNECT's method and
   * data and answers ok (with optional data for the CONNACK, which echoes the method) or a refusal; AUTH
   * exchanges (0x18 Continue authentication, re-authentication) are not offered, so AUTH stays a protocol error.
   */
  authenticationMethods?: readonly string[]
  /** May this client publish to `topic` (mosquitto's `write` access)? */
  authorizePublish?(c: ClientInfo, topic: string): boolean | Promise<boolean>
  /** May this client receive a message on `topic` (mosquitto's `read` access, checked on delivery)? Sync: hot path. */
  authorizeRead?(c: ClientInfo, topic: string): boolean
  /**
   * May this client subscribe to `filter` (the filter of a `$share/group/filter` subscription)? A refusal is
   * answered in the SUBACK (0x80, v5 0x87); messages of a granted subscription still pass `authorizeRead`
   * one by one. Absent, a set's `authorizeRead` answers for filters without wildcards (a filter that is a
   * topic); wildcard filters are granted and left to delivery. Sync, like authorizeRead.
   */
  authorizeSubscribe?(c: ClientInfo, filter: string): boolean
}
