// CONNECT: protocol checks, client id, keepalive, authentication, takeover, session, CONNACK. (The bytes were
// checked first, codec/packet-check.ts: protocol name and level, flags, UTF-8 strings, properties.)
import { randomUUID } from 'node:crypto'
import type { ConnackPacket, ConnectPacket } from '../../codec/index.js'
import { isBridgeConnect } from '../../codec/packets.js'
import { RC, v5ToV3Connack } from '../../codec/reason-codes.js'
import { topicLevels } from '../../codec/topics.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'
import { OutboundTopicAliases } from '../topic-aliases.js'
import { connectedLine } from '../log-lines.js'
import { clientMayPublishTo } from '../reserved-topics.js'
import { willFromConnect } from '../will.js'

const NEVER = 0xffffffff

export function handleConnect(c: BrokerClient, p: ConnectPacket): void | Promise<void> {
  const b = c.broker
  c.state = 'connecting'
  c.stopConnectTimer()
  const version = p.protocolVersion === 3 || p.protocolVersion === 5 ? p.protocolVersion : 4
  c.version = version
  c.conn.setVersion(version)
  // mosquitto's try_private: the bit only means "bridge" for 3.1/3.1.1 (mosquitto 2.0 ignores it on MQTT 5)
  c.bridge = version !== 5 && isBridgeConnect(p)
  if (b.memory.over) return refuse(c, RC.SERVER_BUSY, 'memory_limit reached') // v3: 3, server unavailable
  let clientId = p.clientId ?? ''
  let assigned = false
  if (clientId === '') {
    // v3.1 requires an id; 3.1.1 allows an empty one only with a clean session [MQTT-3.1.3-7], [MQTT-3.1.3-8]
    if (version === 3 || (version === 4 && !p.clean) || !b.opts.allowZeroLengthClientId) {
      return refuse(c, RC.CLIENT_IDENTIFIER_NOT_VALID, 'identifier rejected')
    }
    clientId = `${b.opts.autoIdPrefix}${randomUUID().toUpperCase()}`
    assigned = true
  }
  let keepalive = p.keepalive ?? 0
  let serverKeepalive: number | undefined
  if (keepalive > b.opts.maxKeepalive || (keepalive === 0 && b.opts.maxKeepalive < 65535)) {
    if (version !== 5) return refuse(c, RC.CLIENT_IDENTIFIER_NOT_VALID, 'keepalive too large') // as mosquitto
    keepalive = serverKeepalive = b.opts.maxKeepalive
  }
  // use_identity_as_username: the certificate is the authentication; CONNECT's username and password are ignored.
  const fromCertificate = c.certificateUsername
  if (fromCertificate === null) return refuse(c, RC.BAD_USERNAME_OR_PASSWORD, 'not authorised')
  const username = fromCertificate ?? p.username
  c.username = username
  c.info = {
    clientId, username, protocolVersion: version, remoteAddress: c.remoteAddress, listener: c.listener,
  }
  const method = version === 5 ? p.properties?.authenticationMethod : undefined
  if (method !== undefined && !b.hooks.supportsAuthenticationMethod(method)) {
    return refuse(c, RC.BAD_AUTHENTICATION_METHOD, 'bad authentication method') // [MQTT-4.12.0-1] (v5)
  }
  const will = acceptableWill(c, p)
  if (b.hooks.checksConnect && fromCertificate === undefined && !c.trusted) {
    const password = p.password === undefined ? undefined : Buffer.from(p.password)
    const data = p.properties?.authenticationData
    const enhanced = method === undefined ? {} : { authenticationMethod: method, ...(data ? { authenticationData: Buffer.from(data) } : {}) }
    return b.hooks.authenticate({ ...c.info, password, ...enhanced }).then((r) => {
      if (!r.ok) return refuse(c, r.reasonCode, 'not authorised')
      accept(c, p, clientId, assigned, keepalive, serverKeepalive, will, r.authenticationData)
    })
  }
  accept(c, p, clientId, assigned, keepalive, serverKeepalive, will)
}

/**
 * The will, once its topic passed the rules a PUBLISH meets: deeper than the limit is refused (v5 CONNACK
 * 0x90, 3.1.1 closes; issue 10 item 1); on `$SYS` or `$share` it is dropped, the client still connected,
 * as mosquitto accepts such a CONNECT and never publishes the will (issue 10 item 2).
 */
function acceptableWill(c: BrokerClient, p: ConnectPacket): ReturnType<typeof willFromConnect> {
  const b = c.broker
  const will = willFromConnect(p, b.opts.now())
  if (!will) return undefined
  const topic = will.message.topic
  if (topicLevels(topic) > b.opts.maxTopicLevels) throw new ProtocolError(RC.TOPIC_NAME_INVALID, 'will topic too deep')
  if (clientMayPublishTo(topic)) return will
  if (b.log.debug) b.log.write('debug', `Denied will of ${p.clientId} on '${topic}'.`)
  return undefined
}

function accept(
  c: BrokerClient, p: ConnectPacket, clientId: string, assigned: boolean, keepalive: number,
  serverKeepalive: number | undefined, will: ReturnType<typeof willFromConnect>, authData?: Buffer,
): void {
  if (c.state !== 'connecting') return // the socket closed while authenticating
  const b = c.broker
  const v5 = c.version === 5
  const clean = p.clean !== false
  c.clientId = clientId
  const expirySec = v5 ? (p.properties?.sessionExpiryInterval ?? 0) : (clean ? 0 : NEVER)
  const old = b.clients.get(clientId)
  // The new connection continues the old one's session: its will is not published (spec 3.1.4, 3.1.3.2).
  if (old) old.takeover(!clean && (old.session?.persistent ?? false) && expirySec > 0) // [MQTT-3.1.4-2]
  const { session, present } = b.sessions.open(clientId, clean)
  session.expiryMs = expirySec === NEVER ? Infinity : expirySec * 1000
  session.client = c
  session.info = c.info
  session.will = will
  c.maxPacketSize = v5 ? p.properties?.maximumPacketSize : undefined // [MQTT-3.1.2-24]
  const aliases = Math.min(v5 ? p.properties?.topicAliasMaximum ?? 0 : 0, b.opts.maxTopicAlias)
  if (aliases > 0) c.outAliases = new OutboundTopicAliases(aliases) // [MQTT-3.3.2-9]: never above the client's maximum
  const receiveMax = v5 ? p.properties?.receiveMaximum : undefined
  const limit = b.opts.maxInflightMessages
  session.qos.maxInflight = receiveMax !== undefined && (limit === 0 || receiveMax < limit) ? receiveMax : limit
  c.session = session
  c.state = 'connected'
  b.clients.set(clientId, c)
  session.changed()
  const stats = b.stats
  stats.clientsConnected++
  stats.connectsAccepted++
  if (stats.clientsConnected > stats.clientsMaximum) stats.clientsMaximum = stats.clientsConnected
  if (keepalive > 0) c.keepalive = b.keepalives.watch(keepalive, () => onKeepaliveTimeout(c))
  b.log.write('notice', connectedLine(c.remoteAddress, clientId, c.version, clean, keepalive, c.username, c.bridge))
  if (b.log.debug && !will) b.log.write('debug', 'No will message specified.')
  const connack: ConnackPacket = { cmd: 'connack', sessionPresent: present, returnCode: 0, reasonCode: 0 }
  if (v5) {
    const props: NonNullable<ConnackPacket['properties']> = {}
    if (b.opts.maxTopicAlias > 0) props.topicAliasMaximum = b.opts.maxTopicAlias
    if (b.opts.maxPacketSize > 0) props.maximumPacketSize = b.opts.maxPacketSize // MQTT 5 §3.2.2.3.6
    if (assigned) props.assignedClientIdentifier = clientId // [MQTT-3.2.2-16]
    if (serverKeepalive !== undefined) props.serverKeepAlive = serverKeepalive
    if (!b.opts.retainAvailable) props.retainAvailable = false
    if (b.opts.maxQos < 2) props.maximumQoS = b.opts.maxQos
    if (b.opts.maxInflightMessages > 0 && b.opts.maxInflightMessages < 65535) props.receiveMaximum = b.opts.maxInflightMessages // MQTT 5 §3.2.2.3.3
    // enhanced authentication accepted by a hook (spec 4.12): the CONNACK names the method
    if (p.properties?.authenticationMethod !== undefined) props.authenticationMethod = p.properties.authenticationMethod
    if (authData !== undefined) props.authenticationData = authData
    connack.properties = props
  }
  if (b.log.debug) b.log.write('debug', `Sending CONNACK to ${clientId} (${present ? 1 : 0}, 0)`)
  c.send(connack)
  // A resumed session: resend what is unacknowledged [MQTT-4.4.0-1], then what queued while offline.
  c.run(session.qos.resume())
}

function onKeepaliveTimeout(c: BrokerClient): void {
  c.broker.log.write('notice', `Client ${c.clientId} has exceeded timeout, disconnecting.`)
  c.closeLogged = true
  if (c.version === 5) c.send({ cmd: 'disconnect', reasonCode: RC.KEEP_ALIVE_TIMEOUT })
  c.end()
}

/** Refuse a CONNECT: CONNACK with the reason (v3: the nearest return code), then close [MQTT-3.2.2-5]. */
function refuse(c: BrokerClient, rc: number, why: string): void {
  const b = c.broker
  const code = c.version === 5 ? rc : v5ToV3Connack(rc)
  if (b.log.debug) b.log.write('debug', `Sending CONNACK to ${c.logId} (0, ${code})`)
  c.send({ cmd: 'connack', sessionPresent: false, returnCode: code, reasonCode: code })
  c.closeLogged = true
  b.log.write('notice', `Client ${c.logId} disconnected, ${why}.`)
  c.state = 'closed'
  c.end()
}
