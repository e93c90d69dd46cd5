// Exit codes are a contract (mosquitto's): 0 ok, 1 usage/network, CONNACK code, 27 timeout, 8 TLS, 25 packet too large.
import {
  AbortError, ConnackRefusedError, KeepaliveError, MqttError, PacketTooLargeError, TimeoutError, TlsError, UsageError,
} from '../core/errors.js'

export const Exit = {
  ok: 0,
  usage: 1,
  failure: 1,
  tls: 8,
  keepalive: 19,
  /** A message over the broker's Maximum Packet Size (libmosquitto's MOSQ_ERR_OVERSIZE_PACKET, mosquitto_pub -l's exit). */
  packetTooLarge: 25,
  timeout: 27,
  /** tsbench: messages lost at QoS 1/2 or duplicated at QoS 2. */
  benchLoss: 9,
  /** tspub --ndjson / -l --topic-separator (ours): a line was malformed or refused (sysexits' EX_DATAERR). */
  notAllPublished: 65,
  /** mosquitto_sub exits with -1 (255) when interrupted before CONNACK. */
  interruptedBeforeConnack: 255,
} as const

/**
 * An error a command reports in its own words and with its own exit code: run.ts prints `line` as it is
 * (mosquitto_passwd's lines are not all `Error: …`, and a mismatch exits 2).
 */
export class CommandError extends MqttError {
  constructor(readonly line: string, readonly exitCode: number = Exit.failure, code: `ERR_${string}` = 'ERR_COMMAND') {
    super(line, code)
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandError) return err.exitCode
  if (err instanceof UsageError) return Exit.usage
  if (err instanceof ConnackRefusedError) return err.reasonCode
  if (err instanceof TimeoutError) return Exit.timeout
  if (err instanceof TlsError) return Exit.tls
  if (err instanceof KeepaliveError) return Exit.keepalive
  if (err instanceof PacketTooLargeError) return Exit.packetTooLarge
  if (err instanceof AbortError) return Exit.interruptedBeforeConnack
  return Exit.failure
}
