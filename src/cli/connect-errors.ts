// What pub/sub/rr print when the broker refuses the connection, in mosquitto's words.
import { connackV3Name, reasonName } from '../codec/reason-codes.js'
import type { ConnackRefusedError } from '../core/errors.js'

/**
 * mosquitto_pub prints the CONNACK text and then the libmosquitto error of the failed loop; mosquitto_sub and
 * mosquitto_rr print only the first line. mosquitto_rr uses the v5 reason table even for v3 codes.
 */
export function connackRefusedText(tool: string, err: ConnackRefusedError): string {
  const name = tool === 'tsrr' || err.version === 5 ? reasonName(err.reasonCode) : connackV3Name(err.reasonCode)
  let text = `Connection error: ${name}\n`
  if (err.reasonString) text += `${err.reasonString}\n`
  if (tool === 'tspub') {
    text += err.version === 5
      ? 'Error: A network protocol error occurred when communicating with the broker.\n'
      : 'Error: The connection was refused.\n'
  }
  return text
}
