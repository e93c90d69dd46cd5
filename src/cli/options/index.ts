// The shared option parser of tspub, tssub, tsrr and tsbench (mosquitto's client_shared.c, done once).
export { parseArgs } from './parse.js'
export { helpText, usageText, versionText } from './help.js'
export { optionsFilePath } from './options-file.js'
export type {
  ClientConfig, CommandProperties, ParseResult, PasswordSource, PayloadSource, ProxyConfig, TlsConfig, Tool,
  UnsubscribeProperties, WillConfig,
} from './types.js'
