// parseConfig: mosquitto.conf text → BrokerConfig. Pure: include_dir files come through `readInclude`.
import { resolveBridge, checkDistinct } from '../bridge/spec.js'
import { BridgeConfigError } from '../bridge/bridge-error.js'
import { BRIDGE_DIRECTIVES } from './bridge-directives.js'
import { DIRECTIVES, type ParseState } from './directives.js'
import { ConfigError, defaultConfig, defaultListener, type BrokerConfig, type ListenerConfig, type SecurityOptions, type Source } from './types.js'
import { IGNORED, REFUSED, isPluginOption } from './unsupported.js'
import { DirectiveLine } from './values.js'

export interface IncludedFile { readonly file: string; readonly text: string }
/** The `*.conf` files of an include_dir, in the order to read them (mosquitto: sorted). */
export type ReadInclude = (dir: string, from: Source) => IncludedFile[]

const DEFAULT_PORT = 1883

/**
 * Parse a mosquitto.conf. Throws ConfigError (message names file and line) on an unknown directive, a
 * malformed value, or a known directive that would be unsafe to ignore; known directives that are
 * merely not implemented end up in `warnings`.
 */
export function parseConfig(text: string, file: string, readInclude?: ReadInclude): BrokerConfig {
  const config = defaultConfig()
  const dl = defaultListener(0)
  const s: ParseState = {
    config, defaultListener: dl, defaultListenerUsed: false, current: dl,
    securitySeen: false, bridge: undefined, logTypeSet: false, logDestSet: false,
  }
  parseFile(s, text, file, 0, readInclude)
  finish(s)
  return config
}

function parseFile(s: ParseState, text: string, file: string, level: number, readInclude: ReadInclude | undefined): void {
  const outer = s.current
  const outerBridge = s.bridge
  s.current = s.defaultListener // mosquitto: every file starts at the default listener, and outside any bridge
  s.bridge = undefined
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r+$/, '')
    const trimmed = raw.trim()
    // mosquitto only knows '#' in column 1; an indented comment is accepted too (it is an error there).
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const space = trimmed.search(/[ \t]/)
    const name = space < 0 ? trimmed : trimmed.slice(0, space)
    const line = new DirectiveLine(name, space < 0 ? '' : trimmed.slice(space).trim(), { file, line: i + 1 })
    if (name === 'include_dir') includeDir(s, line, level, readInclude)
    else apply(s, line)
    s.config.warnings.push(...line.warnings)
  }
  s.current = outer
  s.bridge = outerBridge
}

function apply(s: ParseState, line: DirectiveLine): void {
  const directive = DIRECTIVES[line.name] ?? BRIDGE_DIRECTIVES[line.name]
  if (directive) return directive(s, line)
  const refused = REFUSED[line.name]
  if (refused !== undefined) throw line.error(`Unsupported configuration variable "${line.name}": ${refused}.`)
  if (IGNORED.has(line.name) || isPluginOption(line.name)) return line.warn(`Unsupported configuration variable "${line.name}" ignored`)
  throw line.error(`Unknown configuration variable "${line.name}".`)
}

function includeDir(s: ParseState, line: DirectiveLine, level: number, readInclude: ReadInclude | undefined): void {
  const dir = line.string()
  // As mosquitto: include_dir is only honoured in the main file (it says nothing; we warn).
  if (level > 0) return line.warn('include_dir is only read from the main configuration file; ignored')
  if (!readInclude) throw line.error('include_dir cannot be used here.')
  for (const f of readInclude(dir, line.source)) parseFile(s, f.text, f.file, level + 1, readInclude)
}

function finish(s: ParseState): void {
  const { config, defaultListener: dl } = s
  if (s.defaultListenerUsed) {
    // `port`, `bind_address` or listener options without a `listener` line: mosquitto opens this one last.
    if (dl.port === 0) dl.port = DEFAULT_PORT
    config.listeners.push(dl)
  } else if (config.perListenerSettings) {
    // Security options given before any listener belong to the default listener; with no default
    // listener (local-only mode) they are the ones the loopback listeners use.
    config.security = dl.security
  }
  config.localOnly = config.listeners.length === 0
  for (const li of config.listeners) checkTls(li)
  checkBridges(config)
  // mosquitto: with listeners configured, allow_anonymous defaults to false; local-only mode allows
  // anonymous clients. Deviation: an explicit `allow_anonymous false` wins even in local-only mode.
  const anonDefault = config.localOnly
  config.security.allowAnonymous ??= anonDefault
  for (const li of config.listeners) li.security.allowAnonymous ??= anonDefault
}

function checkTls(li: ListenerConfig): void {
  if ((li.certfile === undefined) !== (li.keyfile === undefined)) {
    throw new ConfigError('Both certfile and keyfile must be provided to enable TLS on a listener.', li.source)
  }
  if (li.certfile === undefined && (li.cafile !== undefined || li.capath !== undefined || li.requireCertificate)) {
    throw new ConfigError('cafile, capath and require_certificate need certfile and keyfile on the same listener.', li.source)
  }
  if (li.useIdentityAsUsername && !li.requireCertificate) {
    throw new ConfigError('use_identity_as_username needs require_certificate true on the same listener.', li.source)
  }
}

/** What mosquitto checks once the whole file is read, and what the library would refuse, with the `connection` line. */
function checkBridges(config: BrokerConfig): void {
  const resolved = []
  for (const b of config.bridges) {
    if (b.addresses.length === 0) throw new ConfigError('Invalid bridge configuration: no remote addresses defined.', b.source)
    if (b.topics.length === 0) throw new ConfigError('Invalid bridge configuration: no topics defined.', b.source)
    // as mosquitto, TLS is on when a CA is given; certificate options without one would go out in the clear
    if (b.tls && b.tls.ca === undefined && b.tls.caPath === undefined) {
      throw new ConfigError(`Bridge ${b.name}: bridge_cafile or bridge_capath is needed for TLS.`, b.source)
    }
    try {
      resolved.push(resolveBridge(b))
      checkDistinct(resolved)
    } catch (e) {
      if (e instanceof BridgeConfigError) throw new ConfigError(e.message, b.source)
      throw e
    }
  }
}

/** The security options that apply to clients of `li` (global unless per_listener_settings). */
export function securityFor(config: BrokerConfig, li: ListenerConfig): SecurityOptions {
  return config.perListenerSettings ? li.security : config.security
}

/**
 * The listeners to open: `-p` ports first (on 127.0.0.1, so the first one is the port a script asked
 * for), then the configured ones. In local-only mode (nothing configured) only loopback listeners, on
 * the `-p` ports or 1883. mosquitto 2.0 ignores `-p` when the config has listeners; we add them.
 */
export function effectiveListeners(config: BrokerConfig, cmdPorts: readonly number[]): ListenerConfig[] {
  const ports = cmdPorts.length > 0 || !config.localOnly ? cmdPorts : [DEFAULT_PORT]
  const loopback = ports.map((p) => {
    const li = defaultListener(p, '127.0.0.1')
    li.security = { ...config.security }
    return li
  })
  return [...loopback, ...config.listeners]
}
