// The one option table for tspub, tssub, tsrr and tsbench (mosquitto's client_config_line_proc, as data).
// Each row: the exact names, the tools that accept it (others get "Unknown option"), whether it takes
// the next argv word as its value (whatever that word looks like), and what it does to the state.
import type { QoS } from '../../codec/index.js'
import { UsageError } from '../../core/errors.js'
import { atof, atoi, strtolStrict } from './c-numbers.js'
import type { ParseState } from './state.js'
import { addTopic, checkedFilter, setResponseTopic, setWillTopic } from './topic-args.js'
import type { Tool } from './types.js'
import { applyUrl, parseProxy } from './urls.js'
import { SHELLS, type ValueCompletion } from '../completion/index.js'
import { compileFormat } from '../format/format-string.js'
import { BENCH_ROWS } from './bench-options.js'

/** The --help section (and man page subsection) an option is listed in; `own` is the tool's own, listed first. */
export type OptionGroup = 'own' | 'output' | 'connection' | 'session' | 'will' | 'tls' | 'info'

export interface OptionSpec {
  readonly names: readonly string[]
  readonly tools: readonly Tool[]
  readonly group: OptionGroup
  /** Value-taking options: the message when the value is missing (without `Error: `). */
  readonly missing?: string
  /** Completion of the value (value-taking options only); absent: free text, nothing to offer. */
  readonly complete?: ValueCompletion
  /** `property`: -D takes 3 or 4 words; `help` / `version` / `completion` stop parsing. */
  readonly special?: 'property' | 'help' | 'version' | 'completion'
  /** Ours, command line only: an options file that says it is an error (--profile, --print-config). */
  readonly argvOnly?: true
  /** Checks mosquitto makes before it looks for the value (payload already chosen, -i with -I). */
  readonly before?: (s: ParseState) => void
  readonly apply?: (s: ParseState, value: string) => void
  /** `<syntax> : <text>` line of --help (per tool where the meaning differs); syntax defaults to the first name. */
  readonly help: string | Readonly<Partial<Record<Tool, string>>>
  readonly syntax?: string
}

const ALL: readonly Tool[] = ['pub', 'sub', 'rr']
const PUB: readonly Tool[] = ['pub']
const SUB: readonly Tool[] = ['sub']
const RR: readonly Tool[] = ['rr']
const PUB_RR: readonly Tool[] = ['pub', 'rr']
const SUB_RR: readonly Tool[] = ['sub', 'rr']

/** Rows of one --help section. */
const inGroup = (group: OptionGroup, rows: ReadonlyArray<Omit<OptionSpec, 'group'>>): OptionSpec[] =>
  rows.map((r) => ({ ...r, group }))

const usage2 = (message: string) => new UsageError(message, 2)
const noValue = (flag: string, thing: string) => `${flag} argument given but no ${thing} specified.`

function onePayload(s: ParseState): void {
  if (s.payload) throw usage2('Only one type of message can be sent at once.')
}

/** MQTT's largest payload, 268435455 bytes (the Remaining Length limit) [MQTT-1.5.5]. */
const MAX_PAYLOAD = 268435455

function qosOf(value: number): QoS {
  return value as QoS
}

const TABLE: readonly OptionSpec[] = [
  // The tool's own options (each tool's --help lists them first): -t and -q for all three, then
  // publishing (pub, rr) and subscribing (sub, rr).
  ...inGroup('own', [
    { names: ['-t', '--topic'], tools: ALL, missing: noValue('-t', 'topic'), syntax: '-t topic',
      apply: (s, v) => addTopic(s, v, '-t'),
      help: { pub: 'topic to publish to.', sub: 'topic filter to subscribe to. May repeat.', rr: 'topic to send the request to.' } },
    { names: ['-q', '--qos'], tools: ALL, complete: ['0', '1', '2'], missing: noValue('-q', 'QoS'), syntax: '-q qos',
      apply: (s, v) => {
        const n = atoi(v)
        if (n < 0 || n > 2) throw new UsageError(`Invalid QoS given: ${n}`)
        s.qos = qosOf(n)
      },
      help: 'quality of service, 0, 1 or 2. Defaults to 0.' },
    { names: ['-m', '--message'], tools: PUB_RR, missing: noValue('-m', 'message'), syntax: '-m message',
      before: onePayload,
      apply: (s, v) => {
        const payload = Buffer.from(v)
        if (payload.length > MAX_PAYLOAD) throw usage2(`Message length must be less than ${MAX_PAYLOAD} bytes.`)
        s.payload = { mode: 'message', payload }
      },
      help: 'send this text as the payload.' },
    { names: ['-f', '--file'], tools: PUB_RR, complete: 'file', missing: noValue('-f', 'file'), syntax: '-f file', before: onePayload,
      apply: (s, v) => { s.payload = { mode: 'file', path: v } }, help: 'send the whole file as the payload.' },
    { names: ['-s', '--stdin-file'], tools: PUB_RR, before: onePayload,
      apply: (s) => { s.payload = { mode: 'stdin-file' } }, help: 'send all of stdin as the payload.' },
    { names: ['-l', '--stdin-line'], tools: PUB, before: onePayload,
      apply: (s) => { s.payload = { mode: 'stdin-line' } }, help: 'send each line of stdin as a message.' },
    { names: ['--ndjson'], tools: PUB, before: onePayload,
      apply: (s) => { s.payload = { mode: 'ndjson' } },
      help: 'publish each stdin line, a JSON record as tssub --json prints it, as the message it describes.' },
    { names: ['-n', '--null-message'], tools: PUB_RR, before: onePayload,
      apply: (s) => { s.payload = { mode: 'null' } }, help: 'send an empty payload.' },
    { names: ['-r', '--retain'], tools: PUB, apply: (s) => { s.retain = true }, help: 'ask the broker to retain the message.' },
    { names: ['--repeat'], tools: PUB, missing: noValue('--repeat', 'count'), syntax: '--repeat count',
      apply: (s, v) => {
        s.repeat = atoi(v)
        if (s.repeat < 1) throw usage2('--repeat argument must be >0.')
      },
      help: 'publish the message this many times.' },
    { names: ['--repeat-delay'], tools: PUB, missing: noValue('--repeat-delay', 'time'), syntax: '--repeat-delay seconds',
      apply: (s, v) => {
        const f = Math.fround(atof(v))
        if (f < 0) throw usage2('--repeat-delay argument must be >=0.0.')
        s.repeatDelay = Number.isFinite(f) ? f : 0
      },
      help: 'seconds to wait after each publish completes (fractions allowed).' },
    { names: ['--topic-separator'], tools: PUB, missing: noValue('--topic-separator', 'separator'), syntax: '--topic-separator sep',
      apply: (s, v) => {
        if (v === '') throw usage2('--topic-separator must not be empty.')
        s.topicSeparator = v
      },
      help: 'with -l: each line is "topic<sep>payload", split at the first <sep>.' },
    { names: ['--strict'], tools: PUB, apply: (s) => { s.strict = true },
      help: 'with --ndjson or --topic-separator: stop at the first malformed line.' },
    { names: ['--replay-timing'], tools: PUB, apply: (s) => { s.replayTiming = true },
      help: 'with --ndjson: keep the recorded time between messages (from tst).' },
    { names: ['--replay-speed'], tools: PUB, missing: noValue('--replay-speed', 'speed'), syntax: '--replay-speed factor',
      apply: (s, v) => {
        const f = atof(v)
        if (!(f > 0) || !Number.isFinite(f)) throw usage2('--replay-speed argument must be >0.')
        s.replaySpeed = f
      },
      help: 'with --ndjson: replay the recorded timing this many times as fast (implies --replay-timing).' },
    { names: ['-e'], tools: RR, missing: noValue('-e', 'response topic'), syntax: '-e topic',
      apply: setResponseTopic, help: 'response topic: subscribed to, and sent with the request.' },
    { names: ['-T', '--filter-out'], tools: SUB, missing: noValue('-T', 'topic filter'), syntax: '-T filter',
      apply: (s, v) => { s.filterOut.push(checkedFilter(v, '-T')) }, help: 'do not print messages whose topic matches. May repeat.' },
    { names: ['-U', '--unsubscribe'], tools: SUB, missing: noValue('-U', 'unsubscribe topic'), syntax: '-U filter',
      apply: (s, v) => { s.unsubscribe.push(checkedFilter(v, '-U')) },
      help: 'unsubscribe from this filter after subscribing. May repeat.' },
    { names: ['-C'], tools: SUB, missing: noValue('-C', 'count'), syntax: '-C count',
      apply: (s, v) => {
        s.msgCount = atoi(v)
        if (s.msgCount < 1) throw usage2(`Invalid message count "${s.msgCount}".`)
      },
      help: 'exit after printing this many messages.' },
    { names: ['-E'], tools: SUB, apply: (s) => { s.exitAfterSuback = true }, help: 'exit once the subscription is acknowledged.' },
    { names: ['-W'], tools: SUB_RR, missing: noValue('-W', 'timeout'), syntax: '-W seconds',
      apply: (s, v) => {
        const n = atoi(v)
        if (n < 1) throw usage2(`Invalid timeout "${n}".`)
        s.timeout = n
      },
      help: 'stop after this many seconds, whatever happens (exit code 27).' },
    { names: ['-R'], tools: SUB_RR, apply: (s) => { s.noRetained = true }, help: 'do not print retained messages.' },
    { names: ['--retained-only'], tools: SUB, apply: (s) => { s.retainedOnly = true },
      help: 'print only retained messages; stop at the first live one.' },
    { names: ['--remove-retained'], tools: SUB, apply: (s) => { s.removeRetained = true },
      help: 'clear every retained message received.' },
    { names: ['--retain-as-published'], tools: SUB_RR, apply: (s) => { s.retainAsPublished = true },
      help: 'MQTT v5: keep the retain flag as the publisher set it.' },
    { names: ['--random-filter'], tools: SUB, missing: noValue('--random-filter', 'chance'), syntax: '--random-filter percent',
      apply: (s, v) => {
        const scaled = 10 * atof(v)
        const n = Number.isFinite(scaled) ? Math.trunc(scaled) : -1
        if (n > 10000 || n < 1) throw usage2('--random-filter chance must be between 0.1-100.0')
        s.randomFilter = n
      },
      help: 'print only this percentage of the messages, chosen at random.' },
  ]),

  // tsbench's own options (src/cli/options/bench-options.ts)
  ...inGroup('own', BENCH_ROWS),

  // Output (sub, rr)
  ...inGroup('output', [
    { names: ['-v', '--verbose'], tools: SUB_RR, apply: (s) => { s.verbose = true }, help: 'print "topic payload".' },
    { names: ['-N'], tools: SUB_RR, apply: (s) => { s.noEol = true }, help: 'no end-of-line after each message.' },
    { names: ['-F'], tools: SUB_RR, missing: noValue('-F', 'format'), syntax: '-F format',
      apply: (s, v) => { compileFormat(v); s.format = v },
      help: 'print each message with this format (%t topic, %p payload, %j JSON, ... see the man page).' },
    { names: ['--pretty'], tools: SUB_RR, apply: (s) => { s.pretty = true }, help: 'indent the JSON of %j / %J.' },
    { names: ['--json'], tools: SUB_RR, apply: (s) => { s.json = true },
      help: 'print each message as one lossless JSON line (NDJSON).' },
  ]),

  // Connection
  ...inGroup('connection', [
    { names: ['-h', '--host'], tools: ALL, missing: noValue('-h', 'host'), syntax: '-h host',
      apply: (s, v) => { s.host = v }, help: 'broker host name or address. Defaults to localhost.' },
    { names: ['-p', '--port'], tools: ALL, missing: noValue('-p', 'port'), syntax: '-p port',
      apply: (s, v) => {
        const port = atoi(v)
        if (port < 0 || port > 65535) throw new UsageError(`Invalid port given: ${port}`)
        s.port = port
      },
      help: 'broker port. Defaults to 1883 (8883 with --cafile, --capath or --psk).' },
    { names: ['--unix'], tools: ALL, complete: 'file', missing: noValue('--unix', 'socket path'), syntax: '--unix path',
      apply: (s, v) => { s.host = v; s.port = 0 }, help: 'connect over a Unix socket instead of TCP.' },
    { names: ['-L', '--url'], tools: ALL, missing: noValue('-L', 'URL'), syntax: '-L URL',
      apply: applyUrl, help: 'take host, port, user, password and topic from {mqtt|mqtts|ws|wss}://[user[:password]@]host[:port]/topic.' },
    { names: ['--ws'], tools: ALL, apply: (s) => { s.websockets = true },
      help: 'MQTT over WebSocket (path /mqtt) to -h/-p; with TLS options, over wss://.' },
    { names: ['-A'], tools: ALL, missing: noValue('-A', 'address'), syntax: '-A address',
      apply: (s, v) => { s.bindAddress = v }, help: 'bind the local end of the connection to this address.' },
    { names: ['--nodelay'], tools: ALL, apply: (s) => { s.noDelay = true },
      help: 'send packets at once (TCP_NODELAY) instead of batching small writes.' },
    { names: ['--proxy'], tools: ALL, missing: noValue('--proxy', 'proxy url'), syntax: '--proxy socks-url',
      apply: (s, v) => { s.proxy = parseProxy(v) }, help: 'connect through a SOCKS5 proxy: socks5h://[user[:pass]@]host[:port].' },
    { names: ['--profile'], tools: ALL, argvOnly: true, complete: 'profile', missing: noValue('--profile', 'profile name'), syntax: '--profile name',
      apply: () => {}, // read before the options files are (profiles.ts scanArgv)
      help: 'apply the [name] section of the options files after their defaults (see PROFILES in the man page). Defaults to $TSMQTT_PROFILE.' },
  ]),

  // Session and authentication
  ...inGroup('session', [
    { names: ['-V', '--protocol-version'], tools: ALL, complete: ['mqttv5', 'mqttv311', 'mqttv31', '5', '311', '31'], missing: noValue('--protocol-version', 'version'),
      syntax: '-V version',
      apply: (s, v) => {
        if (v === 'mqttv31' || v === '31') s.protocolVersion = 3
        else if (v === 'mqttv311' || v === '311') s.protocolVersion = 4
        else if (v === 'mqttv5' || v === '5') s.protocolVersion = 5
        else throw usage2('Invalid protocol version argument given.')
      },
      help: 'MQTT version: mqttv5 (5), mqttv311 (311) or mqttv31 (31).' },
    { names: ['-i', '--id'], tools: ALL, missing: noValue('-i', 'id'), syntax: '-i id',
      before: (s) => { if (s.idPrefix !== undefined) throw usage2('-i and -I argument cannot be used together.') },
      apply: (s, v) => { s.id = v }, help: 'client id. Without one, the broker assigns an id.' },
    { names: ['-I', '--id-prefix'], tools: ALL, missing: noValue('-I', 'id prefix'), syntax: '-I prefix',
      before: (s) => { if (s.id !== undefined) throw usage2('-i and -I argument cannot be used together.') },
      apply: (s, v) => { s.idPrefix = v }, help: 'client id = this prefix followed by the process id.' },
    { names: ['-k', '--keepalive'], tools: ALL, missing: noValue('-k', 'keepalive'), syntax: '-k seconds',
      apply: (s, v) => {
        s.keepalive = atoi(v)
        if (s.keepalive < 5 || s.keepalive > 65535) {
          throw usage2('Invalid keepalive given, it must be between 5 and 65535 inclusive.')
        }
      },
      help: 'seconds between PINGREQs when nothing else is sent. Defaults to 60.' },
    { names: ['-c', '--disable-clean-session'], tools: ALL, apply: (s) => { s.clean = false },
      help: 'keep the session when disconnecting.' },
    { names: ['-x'], tools: ALL, missing: noValue('-x', 'session expiry interval'), syntax: '-x seconds',
      apply: (s, v) => {
        if (v === '∞') { s.sessionExpiry = 0xffffffff; return }
        const n = strtolStrict(v)
        if (n === undefined) throw usage2('session-expiry-interval not a number.')
        if (n > 0xffffffff || n < -1) throw usage2('session-expiry-interval out of range.')
        s.sessionExpiry = n === -1 ? 0xffffffff : n
      },
      help: 'MQTT v5 session expiry interval in seconds; -1 or ∞ = never expires.' },
    { names: ['-u', '--username'], tools: ALL, missing: noValue('-u', 'username'), syntax: '-u username',
      apply: (s, v) => { s.username = v }, help: 'user name for the broker.' },
    { names: ['-P', '--pw'], tools: ALL, missing: noValue('-P', 'password'), syntax: '-P password',
      apply: (s, v) => { s.password = v; s.passwordSource = { kind: 'argv' } },
      help: 'password for the broker (visible to other users in the process list; see --pw-prompt).' },
    { names: ['--pw-prompt'], tools: ALL,
      apply: (s) => { s.password = undefined; s.passwordSource = { kind: 'prompt' } },
      help: 'ask for the password on the terminal, without echo.' },
    { names: ['--pw-file'], tools: ALL, complete: 'file', missing: noValue('--pw-file', 'file'), syntax: '--pw-file file',
      apply: (s, v) => { s.password = undefined; s.passwordSource = { kind: 'file', path: v } },
      help: 'read the password from the first line of this file. TSMQTT_PASSWORD in the environment is used when a username is given without a password option on the command line.' },
    { names: ['-M'], tools: ALL, missing: '-M argument given but max_inflight not specified.', syntax: '-M count',
      apply: (s, v) => {
        const n = atoi(v)
        if (n < 1) throw usage2('Maximum inflight messages must be greater than 0.')
        s.maxInflight = n
      },
      help: 'QoS 1 and 2 messages allowed in flight at once. Defaults to 20.' },
    { names: ['-D', '--property'], tools: ALL, special: 'property', syntax: '-D command name value',
      help: 'add an MQTT v5 property to a packet (connect, publish, subscribe, unsubscribe, disconnect, will); user-property takes a name and a value. Switches to MQTT v5.' },
  ]),

  // Will
  ...inGroup('will', [
    { names: ['--will-topic'], tools: ALL, missing: noValue('--will-topic', 'will topic'), syntax: '--will-topic topic',
      apply: setWillTopic, help: 'topic of the message the broker publishes if we vanish.' },
    { names: ['--will-payload'], tools: ALL, missing: noValue('--will-payload', 'will payload'),
      syntax: '--will-payload text', apply: (s, v) => { s.willPayload = v }, help: 'payload of the will message.' },
    { names: ['--will-qos'], tools: ALL, complete: ['0', '1', '2'], missing: noValue('--will-qos', 'will QoS'), syntax: '--will-qos qos',
      apply: (s, v) => {
        const n = atoi(v)
        if (n < 0 || n > 2) throw usage2(`Invalid will QoS ${n}.`)
        s.willQos = qosOf(n)
      },
      help: 'QoS of the will message. Defaults to 0.' },
    { names: ['--will-retain'], tools: ALL, apply: (s) => { s.willRetain = true }, help: 'retain the will message.' },
  ]),

  // TLS
  ...inGroup('tls', [
    { names: ['--cafile'], tools: ALL, complete: 'file', missing: noValue('--cafile', 'file'), syntax: '--cafile file',
      apply: (s, v) => { s.cafile = v }, help: 'PEM file of trusted CA certificates; turns TLS on.' },
    { names: ['--capath'], tools: ALL, complete: 'dir', missing: noValue('--capath', 'directory'), syntax: '--capath dir',
      apply: (s, v) => { s.capath = v }, help: 'directory of trusted CA certificates; turns TLS on.' },
    { names: ['--cert'], tools: ALL, complete: 'file', missing: noValue('--cert', 'file'), syntax: '--cert file',
      apply: (s, v) => { s.certfile = v }, help: 'client certificate (PEM), with --key.' },
    { names: ['--key'], tools: ALL, complete: 'file', missing: noValue('--key', 'file'), syntax: '--key file',
      apply: (s, v) => { s.keyfile = v }, help: 'client private key (PEM), with --cert.' },
    { names: ['--keyform'], tools: ALL, complete: ['pem', 'engine'], missing: noValue('--keyform', 'keyform'), syntax: '--keyform pem|engine',
      apply: (s, v) => { s.keyform = v }, help: 'form of the private key: pem (default) or engine.' },
    { names: ['--ciphers'], tools: ALL, missing: noValue('--ciphers', 'ciphers'), syntax: '--ciphers list',
      apply: (s, v) => { s.ciphers = v }, help: 'OpenSSL cipher list.' },
    { names: ['--tls-version'], tools: ALL, complete: ['tlsv1.3', 'tlsv1.2', 'tlsv1.1'], missing: noValue('--tls-version', 'version'), syntax: '--tls-version version',
      apply: (s, v) => { s.tlsVersion = v }, help: 'TLS version to use: tlsv1.3, tlsv1.2 or tlsv1.1.' },
    { names: ['--tls-alpn'], tools: ALL, missing: noValue('--tls-alpn', 'protocol'), syntax: '--tls-alpn protocol',
      apply: (s, v) => { s.tlsAlpn = v }, help: 'ALPN protocol to offer.' },
    { names: ['--tls-use-os-certs'], tools: ALL, apply: (s) => { s.tlsUseOsCerts = true },
      help: 'trust the system CA store; turns TLS on.' },
    { names: ['--insecure'], tools: ALL, apply: (s) => { s.insecure = true },
      help: 'do not check that the server certificate names the host. For testing only.' },
    { names: ['--tls-engine'], tools: ALL, missing: noValue('--tls-engine', 'engine_id'), syntax: '--tls-engine id',
      apply: (s, v) => { s.tlsEngine = v }, help: 'OpenSSL engine (accepted for compatibility; Node.js has none).' },
    { names: ['--tls-engine-kpass-sha1'], tools: ALL, missing: noValue('--tls-engine-kpass-sha1', 'kpass sha1'),
      syntax: '--tls-engine-kpass-sha1 hex', apply: (s, v) => { s.tlsEngineKpassSha1 = v },
      help: 'SHA1 of the engine key password (accepted for compatibility).' },
    { names: ['--psk'], tools: ALL, missing: noValue('--psk', 'key'), syntax: '--psk hex-key',
      apply: (s, v) => { s.psk = v }, help: 'TLS pre-shared key in hex; turns TLS-PSK on.' },
    { names: ['--psk-identity'], tools: ALL, missing: noValue('--psk-identity', 'identity'),
      syntax: '--psk-identity id', apply: (s, v) => { s.pskIdentity = v }, help: 'identity sent with --psk.' },
  ]),

  // Diagnostics and information
  ...inGroup('info', [
    { names: ['-d', '--debug'], tools: ALL, apply: (s) => { s.debug = true }, help: 'print protocol debug lines.' },
    { names: ['--quiet'], tools: ALL, apply: (s) => { s.quiet = true }, help: 'do not print run-time error messages.' },
    { names: ['--no-color'], tools: ALL, apply: (s) => { s.noColor = true }, help: 'never colour the output.' },
    { names: ['--print-config'], tools: ALL, argvOnly: true, apply: (s) => { s.printConfig = true },
      help: 'print the options in effect (files, profile, environment, command line), secrets masked, and exit without connecting.' },
    { names: ['--completion'], tools: ALL, special: 'completion', missing: noValue('--completion', 'shell'), complete: SHELLS,
      syntax: '--completion shell', help: 'print a completion script for bash, zsh or fish, to source, and exit.' },
    { names: ['--help'], tools: ALL, special: 'help', help: 'print this help and exit.' },
    { names: ['--version'], tools: ALL, special: 'version', help: 'print the version and exit.' },
  ]),
]

/**
 * tsbench connects as the other clients do: it takes every shared connection, session, TLS and information
 * option, but not the will (nothing to announce), -i (one id cannot name N connections; -I is the prefix)
 * or -c (tsbench's -c counts publishers; a benchmark's sessions are clean).
 */
const BENCH_SHARED: readonly OptionGroup[] = ['connection', 'session', 'tls', 'info']
const NOT_FOR_BENCH = new Set(['-i', '-c'])
const forBench = (o: OptionSpec): boolean => o.tools === ALL && BENCH_SHARED.includes(o.group) && !NOT_FOR_BENCH.has(o.names[0]!)

export const OPTIONS: readonly OptionSpec[] = TABLE.map((o) => (forBench(o) ? { ...o, tools: [...o.tools, 'bench'] } : o))

/** One of tsbench's own rows (-c publishers, -s size, ...), not a row it shares with the other clients. */
export const isBenchOwn = (o: OptionSpec): boolean => o.tools.length === 1 && o.tools[0] === 'bench'

/** Exact-name lookup, per tool: an option of another tool is simply unknown (tsbench's -c is not tspub's). */
export function findOption(name: string, tool?: Tool): OptionSpec | undefined {
  const specs = BY_NAME.get(name)
  return specs?.find((o) => tool === undefined || o.tools.includes(tool)) ?? specs?.[0]
}

const BY_NAME = new Map<string, OptionSpec[]>()
for (const spec of OPTIONS) for (const name of spec.names) BY_NAME.set(name, [...BY_NAME.get(name) ?? [], spec])
