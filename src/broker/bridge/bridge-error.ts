// The one error a bridge specification raises.
import { MqttError } from '../../core/errors.js'

/** A bridge specification that cannot be used (the message is mosquitto's where it has one). */
export class BridgeConfigError extends MqttError {
  /** `bridge`: the name of the bridge it is about, when known (tsbroker names its `connection` line). */
  constructor(message: string, readonly bridge?: string) { super(message, 'ERR_BRIDGE_CONFIG') }
}
