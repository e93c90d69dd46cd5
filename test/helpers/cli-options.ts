// Drive parseArgs in-process: options file contents and other files from a map, error → stderr text.
import { parseArgs } from '../../src/cli/options/index.js'
import type { ClientConfig, ParseResult, Tool } from '../../src/cli/options/index.js'
import { UsageError } from '../../src/core/errors.js'
import { errorText } from '../../src/cli/run.js'

export interface ParseSetup {
  /** Contents of the tool's options file ($XDG_CONFIG_HOME/ts<tool>, XDG_CONFIG_HOME=/xdg). */
  optionsFile?: string
  /** Other readable files, by path. */
  files?: Record<string, string>
  env?: NodeJS.ProcessEnv
  pid?: number
}

export function parse(tool: Tool, argv: string[], o: ParseSetup = {}): ParseResult {
  const files: Record<string, string> = { ...o.files }
  if (o.optionsFile !== undefined) files[`/xdg/ts${tool}`] = o.optionsFile
  const env = o.env ?? { XDG_CONFIG_HOME: '/xdg' }
  return parseArgs(tool, argv, env, (p) => files[p], o.pid ?? 4242)
}

/** The parsed config; fails the test with the error text if parsing threw. */
export function config(tool: Tool, argv: string[], o: ParseSetup = {}): ClientConfig {
  const r = parse(tool, argv, o)
  if (r.kind !== 'run') throw new Error(`expected a run config, got ${r.kind}`)
  return r.config
}

/** What the user sees on stderr: the error, and for some errors the synopsis after it (80 columns). */
export function failure(tool: Tool, argv: string[], o: ParseSetup = {}): { stderr: string; usage: string } {
  try {
    parse(tool, argv, o)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    const usage = err.shape.usage?.(80) ?? ''
    return { stderr: errorText(`ts${tool}`, err) + (usage && `\n${usage}`), usage }
  }
  throw new Error(`expected ${tool} ${JSON.stringify(argv)} to fail`)
}

/** mosquitto's layout: `Error: <msg>`, then 1 or 2 empty lines, then the usage tail. */
export function usage(tool: Tool, message: string, blankLines: 1 | 2 = 1): string {
  return `Error: ${message}\n${'\n'.repeat(blankLines)}Use 'ts${tool} --help' to see usage.\n`
}
