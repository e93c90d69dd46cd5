// After the last word: mosquitto's consistency checks, in its order, then the resolved ClientConfig.
import { UsageError } from '../../core/errors.js'
import { finishBench } from './bench-options.js'
import { PASSWORD_ENV } from './secrets.js'
import { checkAllProperties, toCommandProperties } from './properties.js'
import type { ParseState } from './state.js'
import { isValidMqttUtf8 } from './text-checks.js'
import type { ClientConfig, TlsConfig } from './types.js'

const UINT32_MAX = 0xffffffff
/** An error mosquitto reports after its parser returned: no usage tail. */
const late = (message: string) => new UsageError(message, 1, { noTail: true })

export interface FinishInputs {
  pid: number
  env: NodeJS.ProcessEnv
  readFile: (path: string) => string | undefined
  /** The tool's synopsis: tspub prints it (on stderr) after "Both topic and message must be supplied.". */
  usageText: (width: number) => string
}

export function finish(s: ParseState, io: FinishInputs): ClientConfig {
  checkClientConfigLoad(s)
  checkToolRules(s, io)
  checkClientSetup(s, io)
  return toConfig(s, io)
}

/** client_config_load's checks (reference §1.3, rules 1-7). */
function checkClientConfigLoad(s: ParseState): void {
  if (s.willPayload !== undefined && s.willTopic === undefined) throw new UsageError('Will payload given, but no will topic given.')
  if (s.willRetain && s.willTopic === undefined) throw new UsageError('Will retain given, but no will topic given.')
  if ((s.certfile !== undefined) !== (s.keyfile !== undefined)) {
    throw new UsageError('Both certfile and keyfile must be provided if one of them is set.')
  }
  if (s.keyform !== undefined && s.keyfile === undefined) throw new UsageError('If keyform is set, keyfile must be also specified.')
  if (s.tlsEngineKpassSha1 !== undefined && (s.keyform === undefined || s.tlsEngine === undefined)) {
    throw new UsageError('when using tls-engine-kpass-sha1, both tls-engine and keyform must also be provided.')
  }
  if ((s.cafile !== undefined || s.capath !== undefined) && s.psk !== undefined) {
    throw new UsageError('Only one of --psk or --cafile/--capath may be used at once.')
  }
  if (s.psk !== undefined && s.pskIdentity === undefined) throw new UsageError('--psk-identity required if --psk used.')

  const needsId = s.idPrefix !== undefined || s.id === undefined
  if (s.protocolVersion === 5) {
    // v5: -c without -x means a session that never expires.
    if (!s.clean && s.sessionExpiry === -1) s.sessionExpiry = UINT32_MAX
    if (s.sessionExpiry > 0) {
      if (s.sessionExpiry === UINT32_MAX && needsId) {
        throw new UsageError('You must provide a client id if you are using an infinite session expiry interval.')
      }
      s.props.connect.push({ name: 'session-expiry-interval', value: s.sessionExpiry })
    }
  } else if (!s.clean && needsId) {
    throw new UsageError('You must provide a client id if you are using the -c option.')
  }
  if (s.tool === 'sub' && s.topics.length === 0) throw new UsageError('You must specify a topic to subscribe to.')
  s.host ??= 'localhost'
  checkAllProperties(s.props)
}

/** The checks each tool's main() makes right after client_config_load. */
function checkToolRules(s: ParseState, io: FinishInputs): void {
  if (s.tool === 'pub') checkLineModes(s)
  const topicPerLine = s.payload?.mode === 'ndjson' || s.topicSeparator !== undefined
  if (s.tool === 'pub' && ((s.topic === undefined && !topicPerLine) || s.payload === undefined)) {
    throw new UsageError('Both topic and message must be supplied.', 1, { noTail: true, usage: io.usageText })
  }
  if (s.tool === 'sub' && s.noRetained && s.retainedOnly) {
    throw new UsageError("\nError: Combining '-R' and '--retained-only' makes no sense.", 1, { bare: true, noTail: true })
  }
  if (s.tool === 'rr') {
    if (s.topic === undefined || s.payload === undefined || s.responseTopic === undefined) {
      throw new UsageError('All of topic, message, and response topic must be supplied.')
    }
    if (s.props.publish.some((p) => p.name === 'response-topic')) {
      throw new UsageError('Error in PUBLISH properties: Duplicate response topic.', 1, { bare: true, noTail: true })
    }
    s.props.publish.push({ name: 'response-topic', value: s.responseTopic })
  }
}

/** tspub's line-mode options (ours) go with the mode they change. */
function checkLineModes(s: ParseState): void {
  const ndjson = s.payload?.mode === 'ndjson'
  if (s.topicSeparator !== undefined) {
    if (s.payload?.mode !== 'stdin-line') throw new UsageError('--topic-separator needs -l.')
    if (s.topic !== undefined) throw new UsageError('--topic-separator takes the topic from each line: do not give -t or a -L topic too.')
  }
  if (s.strict && !ndjson && s.topicSeparator === undefined) throw new UsageError('--strict needs --ndjson or -l --topic-separator.')
  if ((s.replayTiming || s.replaySpeed !== undefined) && !ndjson) throw new UsageError('--replay-timing and --replay-speed need --ndjson.')
}

/** What mosquitto_new and client_opts_set refuse before connecting (no usage tail). */
function checkClientSetup(s: ParseState, io: FinishInputs): void {
  if (s.id === '' || (!s.clean && s.id === undefined && s.idPrefix === undefined)) {
    throw late(s.tool === 'pub' ? 'Invalid id.' : 'Invalid id and/or clean_session.')
  }
  if (s.willTopic !== undefined && s.props.will.length > 0 && s.protocolVersion !== 5) throw late('Problem setting will.')
  const password = s.passwordSource.kind !== 'none'
  if (s.username !== undefined || password) {
    const badName = s.username !== undefined && !isValidMqttUtf8(s.username)
    if ((s.protocolVersion !== 5 && password && s.username === undefined) || badName) {
      throw late('Problem setting username and/or password.')
    }
  }
  if (s.cafile !== undefined || s.capath !== undefined) {
    for (const file of [s.cafile, s.certfile, s.keyfile]) {
      if (file !== undefined && io.readFile(file) === undefined) throw late('Problem setting TLS options: File not found.')
    }
  }
  if (s.websockets && s.port === 0) throw late('WebSockets cannot be used over a Unix socket (--unix).')
  if (s.tlsEngine !== undefined) throw late(`Problem setting TLS engine, is ${s.tlsEngine} a valid engine?`)
  if (s.keyform !== undefined && s.keyform !== 'pem' && s.keyform !== 'engine') {
    throw late("Problem setting key form, it must be one of 'pem' or 'engine'.")
  }
  if (s.tlsVersion !== undefined && !['tlsv1.3', 'tlsv1.2', 'tlsv1.1'].includes(s.tlsVersion.toLowerCase())) {
    throw late('Problem setting TLS options, check the options are valid.')
  }
}

/** Environment over options files: TSMQTT_PASSWORD, with a username, replaces a password option from a file, not one from argv. */
export function envPasswordApplies(s: ParseState, env: NodeJS.ProcessEnv): boolean {
  return env[PASSWORD_ENV] !== undefined && s.username !== undefined && s.passwordOrigin !== 'argv'
}

function toConfig(s: ParseState, io: FinishInputs): ClientConfig {
  const port = s.port ?? (s.cafile !== undefined || s.capath !== undefined || s.psk !== undefined ? 8883 : 1883)
  const c: ClientConfig = {
    tool: s.tool,
    host: s.host ?? 'localhost',
    port,
    websockets: s.websockets,
    noDelay: s.noDelay,
    protocolVersion: s.protocolVersion,
    clientId: s.idPrefix !== undefined ? `${s.idPrefix}${io.pid}` : s.id ?? '',
    keepalive: s.keepalive,
    clean: s.clean,
    passwordSource: s.passwordSource,
    maxInflight: s.maxInflight,
    properties: toCommandProperties(s.props),
    quiet: s.quiet,
    debug: s.debug,
    noColor: s.noColor,
    qos: s.qos,
    retain: s.retain,
    repeat: s.repeat,
    repeatDelay: s.repeatDelay,
    strict: s.strict,
    topics: s.tool === 'rr' && s.responseTopic !== undefined ? [s.responseTopic] : s.topics,
    filterOut: s.filterOut,
    unsubscribe: s.unsubscribe,
    verbose: s.verbose,
    noEol: s.noEol,
    pretty: s.pretty,
    json: s.json,
    exitAfterSuback: s.exitAfterSuback,
    noRetained: s.noRetained,
    retainedOnly: s.retainedOnly,
    removeRetained: s.removeRetained,
    retainAsPublished: s.retainAsPublished,
  }
  // libmosquitto treats port 0 as "host is a Unix socket path" (--unix sets both; a later -h changes the path).
  if (port === 0) c.unixPath = c.host
  if (s.bindAddress !== undefined) c.bindAddress = s.bindAddress
  if (s.proxy) c.proxy = s.proxy
  const tls = tlsConfig(s, port)
  if (tls) c.tls = tls
  if (s.idPrefix !== undefined) c.idPrefix = s.idPrefix
  if (s.protocolVersion === 5 && s.sessionExpiry > 0) c.sessionExpiry = s.sessionExpiry
  if (s.username !== undefined) c.username = s.username
  if (s.passwordSource.kind === 'argv') c.password = s.password
  const envPassword = io.env[PASSWORD_ENV]
  if (envPasswordApplies(s, io.env) && envPassword !== undefined) {
    c.password = envPassword
    c.passwordSource = { kind: 'env' }
  }
  if (s.willTopic !== undefined) {
    c.will = { topic: s.willTopic, payload: Buffer.from(s.willPayload ?? ''), qos: s.willQos, retain: s.willRetain }
    if (c.properties.will) c.will.properties = c.properties.will
  }
  if (s.topic !== undefined) c.topic = s.topic
  if (s.payload) c.payload = s.payload
  if (s.topicSeparator !== undefined) c.topicSeparator = s.topicSeparator
  if (s.replayTiming || s.replaySpeed !== undefined) c.replaySpeed = s.replaySpeed ?? 1
  if (s.responseTopic !== undefined) c.responseTopic = s.responseTopic
  if (s.format !== undefined) c.format = s.format
  if (s.msgCount > 0) c.count = s.msgCount
  if (s.timeout !== undefined) c.timeout = s.timeout
  // mosquitto accepts 0.1 .. 1000 (its check is on value × 10) but keeps only value/1000 of the messages;
  // we take the value as the percentage its help text promises (the 2.1-fix reading), so ≥ 100 = all.
  if (s.randomFilter < 1000) c.randomFilter = s.randomFilter / 10
  if (s.tool === 'bench') c.bench = finishBench(s)
  return c
}

/** TLS is on with --cafile/--capath, --psk, --tls-use-os-certs, mqtts:// or port 8883 (OS CA store). */
function tlsConfig(s: ParseState, port: number): TlsConfig | undefined {
  const withCa = s.cafile !== undefined || s.capath !== undefined
  if (!withCa && s.psk === undefined && !s.tlsUseOsCerts && port !== 8883) return undefined
  const t: TlsConfig = { useOsCerts: s.tlsUseOsCerts || (!withCa && s.psk === undefined), insecure: s.insecure }
  if (s.cafile !== undefined) t.cafile = s.cafile
  if (s.capath !== undefined) t.capath = s.capath
  if (s.certfile !== undefined) t.certfile = s.certfile
  if (s.keyfile !== undefined) t.keyfile = s.keyfile
  if (s.keyform === 'pem' || s.keyform === 'engine') t.keyform = s.keyform
  if (s.ciphers !== undefined) t.ciphers = s.ciphers
  if (s.tlsVersion !== undefined) t.version = s.tlsVersion.toLowerCase()
  if (s.tlsAlpn !== undefined) t.alpn = s.tlsAlpn
  if (s.tlsEngine !== undefined) t.engine = s.tlsEngine
  if (s.tlsEngineKpassSha1 !== undefined) t.engineKpassSha1 = s.tlsEngineKpassSha1
  if (s.psk !== undefined) t.psk = s.psk
  if (s.pskIdentity !== undefined) t.pskIdentity = s.pskIdentity
  return t
}
