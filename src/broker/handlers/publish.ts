// PUBLISH from a client: alias → validate → limits → authorize → route → acknowledge. (Packet id 0, bad
// UTF-8 and duplicated properties never get here: the strict decoder refuses them, codec/packet-check.ts.)
import type { PublishPacket } from '../../codec/index.js'
import { puback, pubrec } from '../../codec/packets.js'
import { RC } from '../../codec/reason-codes.js'
import { isValidTopicName, topicLevels } from '../../codec/topics.js'
import { ProtocolError } from '../../core/errors.js'
import type { BrokerClient } from '../broker-client.js'
import { publishLine } from '../log-lines.js'
import { makeMessage, type Message } from '../message.js'
import { clientMayPublishTo } from '../reserved-topics.js'

export function handlePublish(c: BrokerClient, p: PublishPacket): void | Promise<void> {
  const b = c.broker
  if (typeof p.payload === 'string') p.payload = Buffer.from(p.payload) // the decoder always gives Buffers
  const topic = c.version === 5 ? resolveAlias(c, p) : p.topic
  if (!isValidTopicName(topic)) throw new ProtocolError(RC.TOPIC_NAME_INVALID, 'invalid topic name') // [MQTT-3.3.2-2]
  // Deeper than the limit (issue 10 item 1): 3.1.1 closes as mosquitto; v5 says why, DISCONNECT 0x90.
  if (topicLevels(topic) > b.opts.maxTopicLevels) throw new ProtocolError(RC.TOPIC_NAME_INVALID, 'topic name too deep')
  if (p.qos > b.opts.maxQos) throw new ProtocolError(RC.QOS_NOT_SUPPORTED, 'QoS not supported') // [MQTT-3.2.2-11]
  if (p.retain && !b.opts.retainAvailable) throw new ProtocolError(RC.RETAIN_NOT_SUPPORTED, 'retain not supported') // [MQTT-3.2.2-14]
  const stats = b.stats
  stats.publishReceived++
  stats.publishBytesReceived += p.payload.length
  const log = b.log
  if (log.debug) log.write('debug', publishLine('Received', c.clientId, p.dup ? 1 : 0, p.qos, p.retain, p.messageId ?? 0, topic, p.payload.length))
  if (p.payload.length > b.opts.messageSizeLimit) {
    if (log.debug) log.write('debug', `Dropped too large PUBLISH from ${c.clientId} (d${p.dup ? 1 : 0}, q${p.qos}, r${p.retain ? 1 : 0}, m${p.messageId ?? 0}, '${topic}', ... (${p.payload.length} bytes))`)
    stats.publishDropped++
    return refuseAck(c, p, RC.IMPLEMENTATION_SPECIFIC_ERROR)
  }
  if (!clientMayPublishTo(topic)) { // $SYS and $share (issue 10 item 2): dropped; v5 0x87, v3 acknowledged, as mosquitto
    stats.publishDropped++
    return refuseAck(c, p, RC.NOT_AUTHORIZED)
  }
  if (b.hooks.checksPublish) {
    const allowed = b.hooks.authorizePublish(c.info!, topic)
    if (allowed instanceof Promise) return allowed.then((ok) => finish(c, p, topic, ok))
    return finish(c, p, topic, allowed)
  }
  finish(c, p, topic, true)
}

function finish(c: BrokerClient, p: PublishPacket, topic: string, allowed: boolean): void {
  if (c.state !== 'connected') return
  const b = c.broker
  if (!allowed) {
    b.log.write('notice', publishLine('Denied', c.clientId, p.dup ? 1 : 0, p.qos, p.retain, p.messageId ?? 0, topic, p.payload.length))
    b.stats.publishDropped++
    return refuseAck(c, p, RC.NOT_AUTHORIZED) // v3: still acknowledged; v5: PUBACK/PUBREC 135
  }
  const session = c.session!
  if (b.memory.over) return refuseOverMemory(c, p)
  if (p.qos === 0) { // the hot path: no session bookkeeping, no allocation beyond the message
    b.publishMessage(makeMessage(topic, p.payload as Buffer, 0, p.retain, c.version === 5 ? p.properties : undefined, b.opts.now()), session)
    return
  }
  if (b.store?.failing) return refuseUnstored(c, p)
  // v5 Receive Maximum: the client keeps at most that many QoS 1/2 PUBLISHes unacknowledged [MQTT-3.3.4-7]
  const max = b.opts.maxInflightMessages
  if (c.version === 5 && max > 0 && session.qos.inboundCount + c.gatedAcks >= max && !(p.qos === 2 && session.qos.hasInbound(p.messageId!))) {
    throw new ProtocolError(RC.RECEIVE_MAXIMUM_EXCEEDED, 'receive maximum exceeded') // MQTT 5 §4.9: DISCONNECT 0x93
  }
  let matched = -1 // stays -1 for a QoS 2 resend, which is acknowledged but not routed again
  let m: Message | undefined
  for (const a of session.qos.onPublish(p)) {
    if (a.kind === 'deliver') {
      m = makeMessage(topic, p.payload as Buffer, p.qos, p.retain, c.version === 5 ? p.properties : undefined, b.opts.now())
      matched = b.publishMessage(m, session)
    } else if (a.kind === 'send') {
      // v5: "no matching subscribers" (0x10) is a success code telling the publisher nobody listened, as mosquitto
      const ack = c.version === 5 && matched === 0 ? (p.qos === 1 ? puback(p.messageId!, RC.NO_MATCHING_SUBSCRIBERS) : pubrec(p.messageId!, RC.NO_MATCHING_SUBSCRIBERS)) : a.packet
      c.send(ack, ack.cmd === 'puback' ? m : undefined)
    }
  }
}

/** Acknowledge a publish that is not routed: v5 carries `rc`, v3 gets a plain ack (QoS 2 still completes). */
function refuseAck(c: BrokerClient, p: PublishPacket, rc: number): void {
  if (p.qos === 0) return
  const id = p.messageId!
  if (c.version === 5 && rc >= 0x80) { c.send(p.qos === 1 ? puback(id, rc) : pubrec(id, rc)); return }
  if (p.qos === 1) { c.send(puback(id)); return }
  for (const a of c.session!.qos.onPublish(p)) if (a.kind === 'send') c.send(a.packet) // PUBREC; PUBREL → PUBCOMP follows
}

/** memory_limit: the message is dropped (QoS 1/2 refused: v5 0x97; a v3 publisher is disconnected, as mosquitto does). */
function refuseOverMemory(c: BrokerClient, p: PublishPacket): void {
  c.broker.stats.publishDropped++
  if (p.qos === 0) return
  if (c.version === 5) return refuseAck(c, p, RC.QUOTA_EXCEEDED)
  c.closeLogged = true
  c.broker.log.write('notice', `Client ${c.clientId} disconnected: memory_limit reached.`)
  c.end()
}

/** The durable store cannot write: a QoS 1/2 message is refused rather than acknowledged unstored. */
function refuseUnstored(c: BrokerClient, p: PublishPacket): void {
  c.broker.stats.publishDropped++
  if (c.version === 5) return refuseAck(c, p, RC.UNSPECIFIED_ERROR)
  // a v3 client has no refusal to hear: closing makes it send the message again later
  c.closeLogged = true
  c.broker.log.write('notice', `Client ${c.clientId} disconnected: its message could not be stored.`)
  c.end()
}

/** v5 inbound topic aliases: a topic with an alias sets it, an empty topic uses it [MQTT-3.3.2-12]. */
function resolveAlias(c: BrokerClient, p: PublishPacket): string {
  const alias = p.properties?.topicAlias
  if (alias === undefined) {
    if (p.topic === '') throw new ProtocolError(RC.PROTOCOL_ERROR, 'empty topic name without a topic alias') // MQTT 5 §3.3.2.1
    return p.topic
  }
  if (alias === 0 || alias > c.broker.opts.maxTopicAlias) throw new ProtocolError(RC.TOPIC_ALIAS_INVALID, 'topic alias invalid') // [MQTT-3.3.2-8], [MQTT-3.3.2-9]
  if (p.topic !== '') { (c.aliases ??= new Map()).set(alias, p.topic); return p.topic }
  const topic = c.aliases?.get(alias)
  if (topic === undefined) throw new ProtocolError(RC.TOPIC_ALIAS_INVALID, 'unknown topic alias')
  return topic
}
