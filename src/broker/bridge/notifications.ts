// A bridge's state notifications, as mosquitto's: retained `0` on this broker before the first attempt, the
// remote will (`0`, QoS 1, retained) that the remote publishes when the link dies, `1` on both brokers at
// each connect, `0` here whenever the link is lost or the bridge stops. The topic is notification_topic, by
// default `$SYS/broker/connection/<remote_clientid>/state`; notifications_local_only keeps it off the remote.
import type { Client, ClientOptions } from '../../client/client.js'
import type { QoS } from '../../codec/index.js'
import type { BridgeHost } from './bridges.js'
import type { ResolvedBridge } from './spec.js'

const ZERO = Buffer.from('0')
const ONE = Buffer.from('1')

export class Notifications {
  #started = false

  constructor(private readonly host: BridgeHost, private readonly b: ResolvedBridge) {}

  get #remoteToo(): boolean { return this.b.notifications && !this.b.notificationsLocalOnly }

  /** The remote side's will, or undefined when the remote is not told. */
  will(): ClientOptions['will'] {
    if (!this.#remoteToo) return undefined
    return { topic: this.b.stateTopic, payload: ZERO, qos: 1, retain: this.b.outgoingRetain }
  }

  /** Before the first attempt (once per broker run, as mosquitto's initial_notification_done). */
  starting(): void {
    if (!this.b.notifications || this.#started) return
    this.#started = true
    this.#local(ZERO)
  }

  /** Connected: `1` on the remote (QoS 1, or 0 for a remote that only takes 0) and here. */
  connected(remote: Client, remoteMaxQos: QoS, remoteRetains: boolean): void {
    if (!this.b.notifications) return
    if (this.#remoteToo) {
      remote.publish(this.b.stateTopic, ONE, { qos: remoteMaxQos === 0 ? 0 : 1, retain: this.b.outgoingRetain && remoteRetains }).catch(() => {})
    }
    this.#local(ONE)
  }

  /** The link is gone (or the bridge stops): `0` here; the remote publishes the will. */
  down(): void {
    if (this.b.notifications) this.#local(ZERO)
  }

  #local(payload: Buffer): void {
    this.host.publish({ topic: this.b.stateTopic, payload, qos: 1, retain: true })
  }
}
