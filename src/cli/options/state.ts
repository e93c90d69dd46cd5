// The parser's working state: mosquitto's struct mosq_config before the consistency checks turn it
// into a ClientConfig. Option handlers write here, in argv order, so later options win.
import type { ProtocolVersion, QoS } from '../../codec/index.js'
import { emptyPropLists, type PropLists } from './properties.js'
import { initialBenchState, type BenchState } from './bench-options.js'
import type { PasswordSource, PayloadSource, ProxyConfig, Tool } from './types.js'

export interface ParseState {
  readonly tool: Tool
  host?: string
  /** undefined = PORT_UNDEFINED: resolved after parsing (1883, or 8883 with cafile/capath/psk). */
  port?: number
  bindAddress?: string
  proxy?: ProxyConfig
  /** --ws, -L ws[s]:// (mosquitto 2.1's MOSQ_T_WEBSOCKETS). */
  websockets: boolean
  protocolVersion: ProtocolVersion
  id?: string
  idPrefix?: string
  keepalive: number
  clean: boolean
  /** -1 = not given (mosquitto's marker); else 0 .. 4294967295. */
  sessionExpiry: number
  username?: string
  password?: string
  passwordSource: PasswordSource
  maxInflight: number
  noDelay: boolean
  quiet: boolean
  debug: boolean
  noColor: boolean
  qos: QoS
  retain: boolean
  willTopic?: string
  willPayload?: string
  willQos: QoS
  willRetain: boolean
  props: PropLists
  cafile?: string
  capath?: string
  certfile?: string
  keyfile?: string
  keyform?: string
  ciphers?: string
  tlsVersion?: string
  tlsAlpn?: string
  tlsUseOsCerts: boolean
  insecure: boolean
  tlsEngine?: string
  tlsEngineKpassSha1?: string
  psk?: string
  pskIdentity?: string
  payload?: PayloadSource
  topic?: string
  topics: string[]
  filterOut: string[]
  unsubscribe: string[]
  responseTopic?: string
  verbose: boolean
  noEol: boolean
  format?: string
  pretty: boolean
  json: boolean
  /** 0 = unlimited. */
  msgCount: number
  exitAfterSuback: boolean
  timeout?: number
  noRetained: boolean
  retainedOnly: boolean
  removeRetained: boolean
  retainAsPublished: boolean
  /** mosquitto's scale: chance × 10, 1 .. 10000; 10000 = everything. */
  randomFilter: number
  repeat: number
  repeatDelay: number
  /** tsbench's own options. */
  bench: BenchState
  /** Where the password option in effect came from: a TSMQTT_PASSWORD beats one from an options file. */
  passwordOrigin?: 'file' | 'argv'
  /** --print-config (ours): print the options instead of running. */
  printConfig: boolean
  topicSeparator?: string
  strict: boolean
  replayTiming: boolean
  replaySpeed?: number
}

/** mosquitto's init_config: rr defaults to MQTT v5 and one message. */
export function initialState(tool: Tool): ParseState {
  return {
    tool,
    websockets: false,
    protocolVersion: tool === 'rr' ? 5 : 4,
    keepalive: 60,
    clean: true,
    sessionExpiry: -1,
    passwordSource: { kind: 'none' },
    maxInflight: 20,
    noDelay: false,
    quiet: false,
    debug: false,
    noColor: false,
    qos: 0,
    retain: false,
    willQos: 0,
    willRetain: false,
    props: emptyPropLists(),
    tlsUseOsCerts: false,
    insecure: false,
    topics: [],
    filterOut: [],
    unsubscribe: [],
    verbose: false,
    noEol: false,
    pretty: false,
    json: false,
    msgCount: tool === 'rr' ? 1 : 0,
    exitAfterSuback: false,
    noRetained: false,
    retainedOnly: false,
    removeRetained: false,
    retainAsPublished: false,
    randomFilter: 10000,
    repeat: 1,
    repeatDelay: 0,
    bench: initialBenchState(),
    printConfig: false,
    strict: false,
    replayTiming: false,
  }
}
