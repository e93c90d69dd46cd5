// tsbroker: read mosquitto.conf (or run local-only), map it onto the broker library (listeners, $SYS, limits),
// and shut down cleanly (wills published) on SIGINT/SIGTERM. stdout carries only the listening addresses.
// Every start-up step that can fail does so before anything is left behind: no listener, pid or port file.
import { AuthConfigError, createAuthHooks, type AuthHooks, type SecuritySettings } from '../broker/auth-hooks.js'
import { BridgeConfigError } from '../broker/bridge/bridge-error.js'
import { createBroker, type Broker } from '../broker/broker.js'
import {
  ConfigError, effectiveListeners, loadConfigFile, parseConfig, persistencePath, securityFor, type BrokerConfig, type ListenerConfig,
} from '../broker/config/index.js'
import { parseBrokerArgs, type BrokerArgs } from './broker-args.js'
import { packageVersion } from '../version.js'
import { READY_MARK, daemonChild, runDaemon } from './broker-daemon.js'
import { createBrokerLog, type BrokerLog } from './broker-log.js'
import { BrokerFiles } from './broker-files.js'
import { displayAddress, openListeners } from './broker-listeners.js'
import { dropPrivileges } from './broker-user.js'
import { Exit } from './exit-codes.js'
import { processIo, writeAll, type Io } from './io.js'
import { runCommand, type Command } from './run.js'

/** The lines `connection_messages false` silences (mosquitto: connects, disconnects, max_connections refusals). */
const CONNECTION_LINE = /^(New connection from |New client connected from |Client \S+ (disconnected|closed its connection)|Client connection from \S+ denied: max_connections)/

export const command: Command = { name: 'tsbroker', run }

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(command, argv, io)
}

async function run(argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = parseBrokerArgs(argv)
  if (args.print !== undefined) {
    await writeAll(io.stdout, args.print)
    return Exit.ok
  }
  if (args.daemon) return runDaemon(argv, io)
  const config = args.configFile !== undefined ? loadConfigFile(args.configFile) : parseConfig('', '(none)')
  const log = createBrokerLog(config, args.verbose, io)
  try {
    return await serve(args, config, log, io, signal)
  } finally {
    await log.close()
  }
}

async function serve(args: BrokerArgs, config: BrokerConfig, log: BrokerLog, io: Io, signal: AbortSignal): Promise<number> {
  const version = `tsbroker version ${packageVersion()}`
  log.write('notice', `${version} starting`)
  log.write('notice', args.configFile !== undefined ? `Config loaded from ${args.configFile}.` : 'Using default config.')
  for (const w of config.warnings) log.write('warning', w)
  const listeners = effectiveListeners(config, args.ports)
  if (config.localOnly) {
    log.write('warning', 'Starting in local only mode. Connections will only be possible from clients running on this machine.')
    log.write('warning', 'Create a configuration file which defines a listener to allow remote access.')
  }
  const persistenceFile = persistencePath(config, process.cwd())
  const auth = authHooks(config, listeners, log)
  const files = new BrokerFiles()
  // As mosquitto, the pid file is written before anything listens: if it cannot be, nothing starts.
  if (config.pidFile !== undefined) files.write(config.pidFile, `${io.pid}\n`, 'pid file')
  let broker: Broker | undefined
  let addresses: string[]
  try {
    broker = createBroker({
      ...brokerLimits(config, listeners, log),
      ...(persistenceFile !== undefined ? { persistence: { file: persistenceFile } } : {}),
      hooks: auth,
      logger: (level, line) => {
        if (!config.connectionMessages && level === 'notice' && CONNECTION_LINE.test(line)) return
        log.write(level, line)
      },
      logLevels: log.levels,
      sysInterval: config.sysInterval,
      version,
      bridges: config.bridges.map(({ source: _source, ...spec }) => spec),
    })
    addresses = (await openListeners(broker, listeners)).map(displayAddress)
    if (config.user !== undefined) dropPrivileges(config.user, (line) => log.write('warning', line))
    // Files first, so a script that saw the address line can rely on them existing.
    if (args.portFile !== undefined) files.write(args.portFile, `${addresses[0]!.replace(/^.*:(\d+)$/, '$1')}\n`, 'port file')
  } catch (err) {
    await broker?.close()
    files.removeAll()
    if (err instanceof BridgeConfigError) throw new ConfigError(err.message, config.bridges.find((b) => b.name === err.bridge)?.source)
    throw err
  }
  // The contract with scripts: one address per listener, first on stdout, before any other output.
  await writeAll(io.stdout, addresses.map((a) => `${a}\n`).join('') + (daemonChild(io) ? READY_MARK : ''))
  log.releaseStdout()
  const onHup = () => {
    log.write('notice', 'Reloading config.')
    auth.reload().catch((e: unknown) => log.write('error', (e instanceof Error ? e.message : String(e)).replace(/^(?!Error: )/, 'Error: ')))
  }
  process.on('SIGHUP', onHup)
  log.write('notice', `${version} running`)
  try {
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
  } finally {
    process.off('SIGHUP', onHup)
  }
  log.write('notice', `${version} terminating`)
  await broker.close() // stops accepting, publishes wills, disconnects every client, closes every listener
  files.removeAll()
  return Exit.ok
}

/** mosquitto's security options as hooks. A password or ACL file that cannot be read stops the start. */
function authHooks(config: BrokerConfig, listeners: readonly ListenerConfig[], log: BrokerLog): AuthHooks {
  const settings = (s: ReturnType<typeof securityFor>): SecuritySettings => ({
    allowAnonymous: s.allowAnonymous ?? false,
    ...(s.passwordFile !== undefined ? { passwordFile: s.passwordFile } : {}),
    ...(s.aclFile !== undefined ? { aclFile: s.aclFile } : {}),
  })
  const perListener: Record<string, SecuritySettings> = {}
  if (config.perListenerSettings) {
    for (const li of listeners) {
      if (li.port === 0 && li.path === undefined) continue // `-p 0`: the top-level settings apply
      const key = li.path ?? String(li.port)
      const s = settings(li.security)
      const before = perListener[key]
      if (before && JSON.stringify(before) !== JSON.stringify(s)) {
        throw new ConfigError(`Listeners on port ${key} have different security settings; per_listener_settings tells listeners apart by port only.`, li.source)
      }
      perListener[key] = s
    }
  }
  try {
    return createAuthHooks({
      ...settings(config.security),
      perListenerSettings: config.perListenerSettings,
      listeners: perListener,
      onWarning: (m) => log.write('warning', m),
    })
  } catch (err) {
    if (err instanceof AuthConfigError) throw new ConfigError(err.message.replace(/^Error: /, ''))
    throw err
  }
}

/** Broker-wide limits. Where mosquitto allows a per-listener value we cannot honour, the strictest one wins. */
function brokerLimits(config: BrokerConfig, listeners: readonly ListenerConfig[], log: BrokerLog) {
  const maxQos = Math.min(2, ...listeners.map((l) => l.maxQos)) as 0 | 1 | 2
  if (listeners.some((l) => l.maxQos !== maxQos)) log.write('warning', `Warning: max_qos differs between listeners; using ${maxQos} for all.`)
  const sec = config.security
  if (config.perListenerSettings && listeners.some((l) => l.security.allowZeroLengthClientId !== sec.allowZeroLengthClientId || l.security.autoIdPrefix !== sec.autoIdPrefix)) {
    log.write('warning', 'Warning: per-listener allow_zero_length_clientid / auto_id_prefix are not supported; the global values apply.')
  }
  return {
    maxInflightMessages: config.maxInflightMessages,
    maxQueuedMessages: config.maxQueuedMessages,
    ...(config.maxQueuedBytes !== undefined ? { maxQueuedBytes: config.maxQueuedBytes } : {}),
    memoryLimit: config.memoryLimit,
    messageSizeLimit: config.messageSizeLimit,
    maxPacketSize: config.maxPacketSize,
    maxKeepalive: config.maxKeepalive,
    retainAvailable: config.retainAvailable,
    maxTopicAlias: config.maxTopicAlias,
    maxQos,
    allowZeroLengthClientId: sec.allowZeroLengthClientId,
    autoIdPrefix: sec.autoIdPrefix,
  }
}
