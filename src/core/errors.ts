// Typed errors with stable codes. Library code throws these; only src/cli turns them into exit codes.
import { connackV3Name, reasonName } from '../codec/reason-codes.js'
import { strerror } from './strerror.js'

export class MqttError extends Error {
  constructor(message: string, readonly code: `ERR_${string}`, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** How a usage error is printed when it differs from the common `Error: <message>` + usage tail. */
export interface UsageShape {
  /** Print the message as is, without the `Error: ` prefix (mosquitto's `Error in CONNECT properties: …`). */
  readonly bare?: boolean
  /** Leave out the `Use '<tool> --help' to see usage.` tail (checks mosquitto makes after its parser returned). */
  readonly noTail?: boolean
  /**
   * A synopsis to print after the message, for a terminal of `width` columns. On stderr: mosquitto_pub prints
   * its usage on stdout after "Both topic and message must be supplied.", where a script takes it for data.
   */
  readonly usage?: (width: number) => string
}

/** A command line that cannot be run: exit 1 and the "Use '<tool> --help'" tail. */
export class UsageError extends MqttError {
  /** `blankLines`: how many empty lines mosquitto prints before the usage tail (its messages end in "\n\n"). */
  constructor(message: string, readonly blankLines: 1 | 2 = 1, readonly shape: UsageShape = {}) {
    super(message, 'ERR_USAGE')
  }
}

/** The broker answered CONNACK with a refusal; the exit code is the code itself (mosquitto's contract). */
export class ConnackRefusedError extends MqttError {
  constructor(readonly reasonCode: number, readonly version: 3 | 4 | 5, readonly reasonString?: string) {
    super(version === 5 ? reasonName(reasonCode) : connackV3Name(reasonCode), 'ERR_CONNACK_REFUSED')
  }
}

/** The peer broke the protocol; `reasonCode` is what a v5 DISCONNECT would carry. */
export class ProtocolError extends MqttError {
  constructor(readonly reasonCode: number, message: string) { super(message, 'ERR_PROTOCOL') }
}

/** The network failed (refused, reset, unreachable); message is the OS's text, as mosquitto prints it. */
/**
 * A packet larger than the server's Maximum Packet Size (its v5 CONNACK): never sent [MQTT-3.2.2-15] (v5).
 * The message is libmosquitto's for MOSQ_ERR_OVERSIZE_PACKET.
 */
export class PacketTooLargeError extends MqttError {
  readonly reasonCode = 0x95
  constructor(readonly size: number, readonly maximum: number) {
    super('Packet larger than supported by the server.', 'ERR_PACKET_TOO_LARGE')
  }
}

export class NetworkError extends MqttError {
  constructor(message: string, options?: ErrorOptions) { super(message, 'ERR_NETWORK', options) }
}

export class ConnectionClosedError extends MqttError {
  constructor(message = 'The connection was lost.') { super(message, 'ERR_CONNECTION_CLOSED') }
}

export class TlsError extends MqttError {
  constructor(message = 'A TLS error occurred.', options?: ErrorOptions) { super(message, 'ERR_TLS', options) }
}

export class TimeoutError extends MqttError {
  constructor(message = 'Timed out') { super(message, 'ERR_TIMEOUT') }
}

export class AbortError extends MqttError {
  constructor(message = 'Aborted') { super(message, 'ERR_ABORTED') }
}

/** Turn a Node socket error into mosquitto's wording (strerror text, or the lookup error). */
export function networkErrorFrom(err: unknown): MqttError {
  if (err instanceof MqttError) return err
  const e = err as NodeJS.ErrnoException
  // OpenSSL errors after the handshake (a TLS 1.3 server refusing our certificate): still a TLS failure (exit 8).
  if (typeof e?.code === 'string' && e.code.startsWith('ERR_SSL_')) return new TlsError('A TLS error occurred.', { cause: err })
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN' || e?.code === 'EAI_NONAME') {
    return new NetworkError('Unable to connect (Lookup error.).', { cause: err })
  }
  return new NetworkError(strerror(err), { cause: err })
}

/** No CONNACK or PINGRESP in time (libmosquitto's MOSQ_ERR_KEEPALIVE, exit 19). */
export class KeepaliveError extends MqttError {
  constructor(message = 'Keepalive exceeded') { super(message, 'ERR_KEEPALIVE') }
}
