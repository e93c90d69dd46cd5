// mosquitto.conf's bridge block: `connection <name>` starts one, and every bridge directive after it (in the
// same file) applies to it, as in mosquitto 2.0's conf.c. Wording of errors and notices follows conf.c.
import { BridgeConfigError } from '../bridge/bridge-error.js'
import { compileTopic, type BridgeDirection, type BridgeTopic } from '../bridge/topic-map.js'
import type { BridgeTls } from '../bridge/spec.js'
import type { Directive, ParseState } from './directives.js'
import type { BridgeConfig } from './types.js'
import { setOnce, type DirectiveLine } from './values.js'

/** A directive that only means something inside a bridge block. */
function inBridge(fn: (b: BridgeConfig, l: DirectiveLine, s: ParseState) => void): Directive {
  return (s, l) => {
    if (!s.bridge) throw l.error('Invalid bridge configuration.')
    fn(s.bridge, l, s)
  }
}

type StringKey = 'remoteClientId' | 'localClientId' | 'remoteUsername' | 'remotePassword' | 'localUsername' | 'localPassword' | 'notificationTopic' | 'bindAddress'
const text = (key: StringKey, label: string) => inBridge((b, l) => { b[key] = setOnce(l, b[key], label) })

type BoolKey = 'cleanSession' | 'localCleanSession' | 'tryPrivate' | 'notifications' | 'notificationsLocalOnly' | 'roundRobin' | 'attemptUnsubscribe' | 'outgoingRetain'
const flag = (key: BoolKey) => inBridge((b, l) => { b[key] = l.bool() })

type TlsText = 'ca' | 'caPath' | 'cert' | 'key' | 'alpn'
const tlsText = (key: TlsText) => inBridge((b, l) => {
  const tls: BridgeTls = (b.tls ??= {})
  tls[key] = setOnce(l, tls[key] as string | undefined)
})

const U32 = 2 ** 31 - 1

export const BRIDGE_DIRECTIVES: Readonly<Record<string, Directive>> = {
  connection: (s, l) => {
    const name = l.word('connection')
    if (s.config.bridges.some((b) => b.name === name)) throw l.error(`Duplicate bridge name "${name}".`)
    const bridge: BridgeConfig = { name, addresses: [], topics: [], source: l.source }
    s.config.bridges.push(bridge)
    s.bridge = bridge
  },
  address: inBridge(address),
  addresses: inBridge(address),
  topic: inBridge((b, l) => { b.topics.push(topicLine(l)) }),
  remote_clientid: text('remoteClientId', 'bridge remote clientid'),
  clientid: text('remoteClientId', 'bridge remote clientid'),
  local_clientid: text('localClientId', 'bridge local clientid'),
  remote_username: text('remoteUsername', 'bridge remote_username'),
  username: text('remoteUsername', 'bridge remote_username'),
  remote_password: text('remotePassword', 'bridge remote_password'),
  password: text('remotePassword', 'bridge remote_password'),
  local_username: text('localUsername', 'bridge local_username'),
  local_password: text('localPassword', 'bridge local_password'),
  notification_topic: text('notificationTopic', 'notification_topic'),
  bridge_bind_address: text('bindAddress', 'bridge_bind_address'),
  cleansession: flag('cleanSession'),
  local_cleansession: flag('localCleanSession'),
  try_private: flag('tryPrivate'),
  notifications: flag('notifications'),
  notifications_local_only: flag('notificationsLocalOnly'),
  round_robin: flag('roundRobin'),
  bridge_attempt_unsubscribe: flag('attemptUnsubscribe'),
  bridge_outgoing_retain: flag('outgoingRetain'),
  bridge_protocol_version: inBridge((b, l) => {
    const v = l.word()
    const version = ({ mqttv31: 3, mqttv311: 4, mqttv50: 5 } as const)[v as 'mqttv31']
    if (version === undefined) throw l.error(`Invalid bridge_protocol_version value (${v}).`)
    b.protocolVersion = version
  }),
  keepalive_interval: inBridge((b, l) => {
    let n = l.int(-U32, U32)
    if (n > 65535) throw l.error('Bridge keepalive value too high.')
    if (n < 5) { l.warn('keepalive interval too low, using 5 seconds'); n = 5 }
    b.keepalive = n
  }),
  restart_timeout: inBridge((b, l) => { b.restartTimeout = restartTimeout(l) }),
  start_type: inBridge((b, l) => {
    const v = l.word()
    if (v === 'manual') throw l.error('Manual start_type not supported.')
    if (v !== 'automatic' && v !== 'lazy' && v !== 'once') throw l.error(`Invalid start_type value in configuration (${v}).`)
    b.startType = v
  }),
  idle_timeout: inBridge((b, l) => { b.idleTimeout = atLeastOne(l, 'idle_timeout interval too low, using 1 second') }),
  threshold: inBridge((b, l) => { b.threshold = atLeastOne(l, 'threshold too low, using 1 message') }),
  bridge_max_packet_size: inBridge((b, l) => { b.maxPacketSize = Math.max(0, l.int(-U32, U32)) }),
  bridge_cafile: tlsText('ca'),
  bridge_capath: tlsText('caPath'),
  bridge_certfile: tlsText('cert'),
  bridge_keyfile: tlsText('key'),
  bridge_alpn: tlsText('alpn'),
  bridge_insecure: inBridge((b, l) => {
    const insecure = l.bool()
    ;(b.tls ??= {}).insecure = insecure
    if (insecure) l.warn(`Bridge ${b.name} using insecure mode`)
  }),
  bridge_tls_version: inBridge((b, l) => {
    (b.tls ??= {}).version = l.choice(['tlsv1.3', 'tlsv1.2', 'tlsv1.1'] as const, 'bridge_tls_version')
  }),
}

/** `address host[:port] [host[:port] …]`, once per bridge; IPv6 needs a port (the last `:` splits). */
function address(b: BridgeConfig, l: DirectiveLine): void {
  if (b.addresses.length > 0) throw l.error('Invalid bridge configuration.')
  for (const word of l.words()) {
    if (word.startsWith('#')) break
    const colon = word.lastIndexOf(':')
    let host = colon < 0 ? word : word.slice(0, colon)
    let port = 1883
    if (colon >= 0) {
      const p = word.slice(colon + 1)
      port = /^\d+$/.test(p) ? Number(p) : 0
      if (port < 1 || port > 65535) throw l.error(`Invalid port value (${p}).`)
    }
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1) // [::1]:1883, which mosquitto cannot read
    b.addresses.push({ host, port })
  }
  if (b.addresses.length === 0) throw l.error('Empty address value in configuration.')
}

/** `topic pattern [in|out|both [qos [local-prefix [remote-prefix]]]]`; `""` is an empty pattern or prefix. */
function topicLine(l: DirectiveLine): BridgeTopic {
  const [pattern, dir, qos, local, remote] = l.words()
  if (pattern === undefined) throw l.error('Empty topic value in configuration.')
  const t: BridgeTopic = { pattern: pattern === '""' ? '' : pattern }
  if (dir !== undefined) {
    const d = dir.toLowerCase()
    if (d !== 'in' && d !== 'out' && d !== 'both') throw l.error(`Invalid bridge topic direction '${dir}'.`)
    t.direction = d as BridgeDirection
  }
  if (qos !== undefined && !qos.startsWith('#')) {
    if (!/^\d+$/.test(qos) || Number(qos) > 2) throw l.error(`Invalid bridge QoS level '${qos}'.`)
    t.qos = Number(qos) as 0 | 1 | 2
    const prefix = (p: string | undefined) => (p === undefined || p === '""' || p.startsWith('#') ? undefined : p)
    const lp = prefix(local)
    const rp = local?.startsWith('#') ? undefined : prefix(remote)
    if (lp !== undefined) t.localPrefix = lp
    if (rp !== undefined) t.remotePrefix = rp
  }
  try {
    compileTopic(t)
  } catch (e) {
    if (e instanceof BridgeConfigError) throw l.error(e.message)
    throw e
  }
  return t
}

/** `restart_timeout n` (fixed) or `restart_timeout base cap` (jittered backoff), in seconds. */
function restartTimeout(l: DirectiveLine): number | [number, number] {
  const [first, second] = l.words()
  if (first === undefined) throw l.error('Empty restart_timeout value in configuration.')
  const num = (w: string) => {
    if (!/^[+-]?\d+$/.test(w)) throw l.error(`Invalid restart_timeout value (${w}).`)
    return Number(w)
  }
  let base = num(first)
  if (base < 1) { l.warn('restart_timeout interval too low, using 1 second'); base = 1 }
  if (base > 3600) { l.warn('restart_timeout interval too high, using 3600 seconds'); base = 3600 }
  if (second === undefined || second.startsWith('#')) return base
  let cap = num(second)
  if (cap < base) throw l.error('backoff cap is lower than the base in restart_timeout.')
  if (cap > 7200) { l.warn('backoff cap too high, using 7200 seconds'); cap = 7200 }
  return [base, cap]
}

function atLeastOne(l: DirectiveLine, notice: string): number {
  const n = l.int(-U32, U32)
  if (n >= 1) return n
  l.warn(notice)
  return 1
}
