// Reading a mosquitto.conf from disk: the file itself and its include_dir (the only I/O of the config module).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig, type IncludedFile } from './parse.js'
import { ConfigError, type BrokerConfig, type Source } from './types.js'

export function loadConfigFile(path: string): BrokerConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new ConfigError(`Unable to open config file ${path}.`)
  }
  return parseConfig(text, path, readIncludeDir)
}

/** `*.conf` files of `dir` in byte order (mosquitto sorts with strcmp), each read in full. */
export function readIncludeDir(dir: string, from: Source): IncludedFile[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.conf'))
  } catch {
    throw new ConfigError(`Unable to open include_dir '${dir}'.`, from)
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return names.map((n) => {
    const file = join(dir, n)
    try {
      return { file, text: readFileSync(file, 'utf8') }
    } catch {
      throw new ConfigError(`Unable to open config file ${file}.`, from)
    }
  })
}
