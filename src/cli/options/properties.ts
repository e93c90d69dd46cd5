// -D / --property: MQTT v5 properties from the command line, with libmosquitto's rules and texts
// (cfg_parse_property, mosquitto_property_check_command, mosquitto_property_check_all).
import { addUserProperty } from '../user-properties.js'
import { withPropertyOrder } from '../../codec/property-order.js'
import { UsageError } from '../../core/errors.js'
import { atol } from './c-numbers.js'
import { isValidMqttUtf8 } from './text-checks.js'
import type { CommandProperties } from './types.js'

/** The packets a -D property can be attached to; the other command words are refused. */
export type PropCmd = 'connect' | 'publish' | 'subscribe' | 'unsubscribe' | 'disconnect' | 'will'
export type PropValue = number | string | Buffer | readonly [string, string]
export interface PropEntry { readonly name: string; readonly value: PropValue }
export type PropLists = Record<PropCmd, PropEntry[]>

const COMMANDS = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'unsubscribe', 'disconnect', 'auth', 'will'] as const
type Command = typeof COMMANDS[number]

/** mosquitto's property type numbers appear in "Error adding property %s %d". */
type PropType = 'byte' | 'int16' | 'int32' | 'varint' | 'binary' | 'string' | 'pair'
const TYPE_NUMBER: Record<PropType, number> = { byte: 1, int16: 2, int32: 3, varint: 4, binary: 5, string: 6, pair: 7 }
const MAX: Partial<Record<PropType, number>> = { byte: 0xff, int16: 0xffff, int32: 0xffffffff, varint: 0xffffffff }

interface PropSpec { type: PropType; key: string; allowed: readonly Command[] }

const PUB_WILL: readonly Command[] = ['publish', 'will']
const CONNACK_ONLY: readonly Command[] = ['connack']
/** Which commands may carry each property (mosquitto_property_check_command). */
const PROPS: Readonly<Record<string, PropSpec>> = {
  'payload-format-indicator': { type: 'byte', key: 'payloadFormatIndicator', allowed: PUB_WILL },
  'message-expiry-interval': { type: 'int32', key: 'messageExpiryInterval', allowed: PUB_WILL },
  'content-type': { type: 'string', key: 'contentType', allowed: PUB_WILL },
  'response-topic': { type: 'string', key: 'responseTopic', allowed: PUB_WILL },
  'correlation-data': { type: 'binary', key: 'correlationData', allowed: PUB_WILL },
  'subscription-identifier': { type: 'varint', key: 'subscriptionIdentifier', allowed: ['publish', 'subscribe'] },
  'session-expiry-interval': { type: 'int32', key: 'sessionExpiryInterval', allowed: ['connect', 'connack', 'disconnect'] },
  'authentication-method': { type: 'string', key: 'authenticationMethod', allowed: ['connect', 'connack', 'auth'] },
  'authentication-data': { type: 'binary', key: 'authenticationData', allowed: ['connect', 'connack', 'auth'] },
  'request-problem-information': { type: 'byte', key: 'requestProblemInformation', allowed: ['connect'] },
  'request-response-information': { type: 'byte', key: 'requestResponseInformation', allowed: ['connect'] },
  'will-delay-interval': { type: 'int32', key: 'willDelayInterval', allowed: ['will'] },
  'server-reference': { type: 'string', key: 'serverReference', allowed: ['connack', 'disconnect'] },
  // mosquitto allows reason-string on a Will too; MQTT 5 §3.1.3.2 has no such Will property, so we refuse it.
  'reason-string': { type: 'string', key: 'reasonString',
    allowed: ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'disconnect', 'auth'] },
  'receive-maximum': { type: 'int16', key: 'receiveMaximum', allowed: ['connect', 'connack'] },
  'topic-alias-maximum': { type: 'int16', key: 'topicAliasMaximum', allowed: ['connect', 'connack'] },
  'maximum-packet-size': { type: 'int32', key: 'maximumPacketSize', allowed: ['connect', 'connack'] },
  'topic-alias': { type: 'int16', key: 'topicAlias', allowed: ['publish'] },
  'user-property': { type: 'pair', key: 'userProperties', allowed: COMMANDS },
  'assigned-client-identifier': { type: 'string', key: 'assignedClientIdentifier', allowed: CONNACK_ONLY },
  'server-keep-alive': { type: 'int16', key: 'serverKeepAlive', allowed: CONNACK_ONLY },
  'response-information': { type: 'string', key: 'responseInformation', allowed: CONNACK_ONLY },
  'maximum-qos': { type: 'byte', key: 'maximumQoS', allowed: CONNACK_ONLY },
  'retain-available': { type: 'byte', key: 'retainAvailable', allowed: CONNACK_ONLY },
  'wildcard-subscription-available': { type: 'byte', key: 'wildcardSubscriptionAvailable', allowed: CONNACK_ONLY },
  'subscription-identifier-available': { type: 'byte', key: 'subscriptionIdentifiersAvailable', allowed: CONNACK_ONLY },
  'shared-subscription-available': { type: 'byte', key: 'sharedSubscriptionAvailable', allowed: CONNACK_ONLY },
}

/** The command words -D accepts, and for each the property names it may carry (for shell completion). */
export function propertyNamesByCommand(): Record<PropCmd, string[]> {
  const cmds: readonly PropCmd[] = ['connect', 'publish', 'subscribe', 'unsubscribe', 'disconnect', 'will']
  return Object.fromEntries(cmds.map((c) => [c, Object.keys(PROPS).filter((n) => PROPS[n]!.allowed.includes(c))])) as Record<PropCmd, string[]>
}

export function emptyPropLists(): PropLists {
  return { connect: [], publish: [], subscribe: [], unsubscribe: [], disconnect: [], will: [] }
}

const usage2 = (msg: string) => new UsageError(msg, 2)

/**
 * Parse the words after -D (`argv[at]` is the command word). Adds the property to `lists` and returns how
 * many words it used. Throws mosquitto's errors, in mosquitto's order.
 */
export function parseProperty(argv: readonly string[], at: number, lists: PropLists): number {
  const notEnough = () => usage2('--property argument given but not enough arguments specified.')
  if (argv.length - at < 3) throw notEnough()
  const cmdName = argv[at]!
  const cmd = COMMANDS.find((c) => c === cmdName.toLowerCase())
  if (!cmd) throw usage2('Invalid command given in --property argument.')
  const propName = argv[at + 1]!
  const canonical = propName.toLowerCase()
  const spec = PROPS[canonical]
  if (!spec) throw usage2('Invalid property name given in --property argument.')
  if (!spec.allowed.includes(cmd)) throw usage2(`${propName} property not allowed for ${cmdName} in --property argument.`)

  let value: string, key: string | undefined
  if (spec.type === 'pair') {
    if (argv.length - at < 4) throw notEnough()
    key = argv[at + 2]!
    value = argv[at + 3]!
  } else {
    value = argv[at + 2]!
  }
  const used = spec.type === 'pair' ? 4 : 3
  const notSupported = () => usage2(`${propName} property not supported for ${cmdName} in --property argument.`)
  let list: PropEntry[]
  switch (cmd) {
    case 'publish':
      if (canonical === 'subscription-identifier') throw notSupported()
      list = lists.publish
      break
    case 'subscribe':
      if (canonical !== 'subscription-identifier' && canonical !== 'user-property') throw notSupported()
      list = lists.subscribe
      break
    case 'connect': case 'unsubscribe': case 'disconnect': case 'will':
      list = lists[cmd]
      break
    default:
      // auth, puback…pubcomp are refused with a message. mosquitto fails silently for connack (only the
      // usage tail); we say what went wrong instead (contract 2: one clear line).
      throw notSupported()
  }
  list.push({ name: canonical, value: convert(spec, propName, value, key) })
  return used
}

function convert(spec: PropSpec, propName: string, value: string, key: string | undefined): PropValue {
  const addError = () => new UsageError(`Error adding property ${propName} ${TYPE_NUMBER[spec.type]}`, 1, { bare: true })
  switch (spec.type) {
    case 'byte': case 'int16': case 'int32': case 'varint': {
      const n = atol(value)
      if (n < 0 || n > MAX[spec.type]!) throw usage2(`Property value (${n}) out of range for property ${propName}.`)
      if (spec.type === 'varint' && n > 268435455) throw addError()
      return n
    }
    case 'binary':
      if (Buffer.byteLength(value) > 0xffff) throw usage2(`Property value too long for property ${propName}.`)
      return Buffer.from(value)
    case 'string':
      if (!isValidMqttUtf8(value)) throw addError()
      return value
    case 'pair':
      // libmosquitto validates the key only (its value check is given a length of 0).
      if (!isValidMqttUtf8(key!)) throw addError()
      return [key!, value]
  }
}

const PROTOCOL_ERROR = 'A network protocol error occurred when communicating with the broker.'
const DUPLICATE = 'Duplicate property in property list'
const CHECK_LABEL: Record<PropCmd, string> = {
  connect: 'CONNECT', publish: 'PUBLISH', subscribe: 'SUBSCRIBE', unsubscribe: 'UNSUBSCRIBE',
  disconnect: 'DISCONNECT', will: 'Will',
}
const BOOLEAN_BYTES = new Set(['request-problem-information', 'request-response-information', 'maximum-qos',
  'retain-available', 'wildcard-subscription-available', 'subscription-identifier-available',
  'shared-subscription-available'])

/** mosquitto_property_check_all for every list, in mosquitto's order (CONNECT … Will). */
export function checkAllProperties(lists: PropLists): void {
  for (const cmd of ['connect', 'publish', 'subscribe', 'unsubscribe', 'disconnect', 'will'] as const) {
    const problem = checkList(lists[cmd])
    if (problem) throw new UsageError(`Error in ${CHECK_LABEL[cmd]} properties: ${problem}`, 1, { bare: true })
  }
}

function checkList(list: readonly PropEntry[]): string | undefined {
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!
    if (BOOLEAN_BYTES.has(p.name) && (p.value as number) > 1) return PROTOCOL_ERROR
    if (p.name === 'maximum-packet-size' && p.value === 0) return PROTOCOL_ERROR
    // Receive Maximum and Topic Alias of 0 are protocol errors [MQTT-3.1.2.11.3], [MQTT-3.3.2-8].
    if ((p.name === 'receive-maximum' || p.name === 'topic-alias') && p.value === 0) return PROTOCOL_ERROR
    if (p.name !== 'user-property' && list.slice(i + 1).some((q) => q.name === p.name)) return DUPLICATE
  }
  return undefined
}

/**
 * One list as an mqtt-packet property object (camelCase keys; repeated user-property keys become arrays).
 * With user properties, the object carries the order given, so they go on the wire in that order
 * (codec/property-order.ts).
 */
export function toPacketProperties(list: readonly PropEntry[]): Record<string, unknown> | undefined {
  if (list.length === 0) return undefined
  const out: Record<string, unknown> = {}
  const user: Record<string, string | string[]> = {}
  const order: Array<string | readonly [string, string]> = []
  let haveUser = false
  for (const p of list) {
    const spec = PROPS[p.name]!
    order.push(spec.type === 'pair' ? p.value as readonly [string, string] : spec.key)
    if (spec.type === 'pair') {
      const [k, v] = p.value as readonly [string, string]
      addUserProperty(user, k, v)
      haveUser = true
    } else if (spec.type === 'byte' && p.name !== 'maximum-qos') {
      // mqtt-packet types these as booleans; it writes `+value`, so 0/1 survive (2..255 become 1).
      out[spec.key] = p.value !== 0
    } else {
      out[spec.key] = p.value
    }
  }
  if (haveUser) out['userProperties'] = user
  return haveUser ? withPropertyOrder(out, order) : out
}

/** All lists as per-command property objects. */
export function toCommandProperties(lists: PropLists): CommandProperties {
  const props: CommandProperties = {}
  const set = <K extends keyof CommandProperties>(k: K) => {
    const v = toPacketProperties(lists[k])
    if (v) props[k] = v as CommandProperties[K]
  }
  set('connect'); set('publish'); set('subscribe'); set('unsubscribe'); set('disconnect'); set('will')
  return props
}

