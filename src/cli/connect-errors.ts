// What pub/sub/rr print when connecting fails, in mosquitto's words, and the exit code that goes with it.
import { connackV3Name, reasonName } from '../codec/reason-codes.js'
import { ConnackRefusedError } from '../core/errors.js'

export type ClientTool = 'pub' | 'sub' | 'rr'

/**
 * mosquitto_pub prints the CONNACK text and then the libmosquitto error of the failed loop; mosquitto_sub and
 * mosquitto_rr print only the first line. mosquitto_rr uses the v5 reason table even for v3 codes.
 */
export function connectErrorText(tool: ClientTool, err: unknown): string {
  if (err instanceof ConnackRefusedError) {
    const name = tool === 'rr' || err.version === 5 ? reasonName(err.reasonCode) : connackV3Name(err.reasonCode)
    let text = `Connection error: ${name}\n`
    if (err.reasonString) text += `${err.reasonString}\n`
    if (tool === 'pub') {
      text += err.version === 5
        ? 'Error: A network protocol error occurred when communicating with the broker.\n'
        : 'Error: The connection was refused.\n'
    }
    return text
  }
  const message = err instanceof Error ? err.message : String(err)
  return `Error: ${message}\n`
}
