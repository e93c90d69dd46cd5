// mosquitto.conf support for tsbroker.
export { parseConfig, effectiveListeners, securityFor, type IncludedFile, type ReadInclude } from './parse.js'
export { loadConfigFile, readIncludeDir } from './load.js'
export {
  ConfigError, defaultConfig, defaultListener, defaultSecurity, persistencePath,
  type BrokerConfig, type ListenerConfig, type ListenerProtocol, type LogDest, type LogType, type SecurityOptions, type Source,
} from './types.js'
