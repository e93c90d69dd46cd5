// parseArgs: options file, then argv, through one table; then mosquitto's checks. Pure apart from the
// injected readFile (the options file, TLS file existence) and the package.json read for --help.
//
// Not yargs: mosquitto's model — the value is the next word even when it starts with '-', names match
// exactly, no bundling or --opt=value, later wins, sub accumulates -t/-T/-U, other tools' options are
// "Unknown option" — would have to be fought at every step, and a table lookup starts faster.
import { UsageError } from '../../core/errors.js'
import { completionScript, isShell, unknownShell, type Shell } from '../completion/index.js'
import { outputWidth } from '../help-layout.js'
import { clientCompletionSpec } from './completion-spec.js'
import { finish } from './finish.js'
import { helpText, usageText, versionText } from './help.js'
import { findOption } from './option-table.js'
import { optionsFileLines, optionsFilePath, readTextFile } from './options-file.js'
import { parseProperty } from './properties.js'
import { initialState, type ParseState } from './state.js'
import type { ParseResult, Tool } from './types.js'

type Stop = { kind: 'help' } | { kind: 'version' } | { kind: 'completion'; shell: Shell } | undefined

/** client_config_line_proc: one argv (or one options-file line), left to right. */
function parseWords(s: ParseState, words: readonly string[]): Stop {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const spec = findOption(word, s.tool)
    if (!spec || !spec.tools.includes(s.tool)) throw new UsageError(`Unknown option '${word}'.`)
    if (spec.special === 'help') return { kind: 'help' }
    if (spec.special === 'version') return { kind: 'version' }
    if (spec.special === 'completion') {
      if (i === words.length - 1) throw new UsageError(spec.missing!, 2)
      const shell = words[i + 1]!
      if (!isShell(shell)) throw new UsageError(unknownShell(shell))
      return { kind: 'completion', shell }
    }
    if (spec.special === 'property') {
      i += parseProperty(words, i + 1, s.props)
      s.protocolVersion = 5 // -D switches to v5 here; a later -V can switch back
      continue
    }
    spec.before?.(s)
    if (spec.missing !== undefined) {
      if (i === words.length - 1) throw new UsageError(spec.missing, 2)
      spec.apply?.(s, words[++i]!)
    } else {
      spec.apply?.(s, '')
    }
  }
  return undefined
}

/**
 * Parse a tspub / tssub / tsrr command line the way mosquitto_pub / _sub / _rr 2.0 do.
 * `pid` is the process id that -I appends to its prefix; `helpWidth` the width --help is wrapped to
 * (the default: stdout's, where --help goes).
 */
export function parseArgs(
  tool: Tool,
  argv: string[],
  env: NodeJS.ProcessEnv,
  readFile: (p: string) => string | undefined = readTextFile,
  pid: number = process.pid,
  helpWidth: number = outputWidth(process.stdout),
): ParseResult {
  const s = initialState(tool)
  const path = optionsFilePath(tool, env)
  const text = path === undefined ? undefined : readFile(path)
  const stops: Stop[] = []
  if (text !== undefined) {
    for (const line of optionsFileLines(text)) {
      const stop = parseWords(s, line)
      if (stop) { stops.push(stop); break }
    }
  }
  if (stops.length === 0) stops.push(parseWords(s, argv))
  const stop = stops[0]
  if (stop?.kind === 'help') return { kind: 'help', text: helpText(tool, helpWidth) }
  if (stop?.kind === 'version') return { kind: 'version', text: versionText(tool) }
  if (stop?.kind === 'completion') return { kind: 'completion', text: completionScript(clientCompletionSpec(tool), stop.shell) }
  const config = finish(s, { pid, env, readFile, usageText: (width) => usageText(tool, width) })
  return { kind: 'run', config }
}
