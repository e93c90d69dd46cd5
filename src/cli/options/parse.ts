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
import { envPasswordApplies, finish } from './finish.js'
import { helpText, usageText, versionText } from './help.js'
import { findOption, isBenchOwn } from './option-table.js'
import { readTextFile } from './options-file.js'
import { printConfig, type GivenOption } from './print-config.js'
import { ARGV, chooseProfile, fileOptions, scanArgv, type Origin } from './profiles.js'
import { parseProperty } from './properties.js'
import { maskGluedSecret } from './secrets.js'
import { initialState, type ParseState } from './state.js'
import type { ClientConfig, ParseResult, Tool } from './types.js'

type Stop = { kind: 'help' } | { kind: 'version' } | { kind: 'completion'; shell: Shell } | undefined

/** client_config_line_proc: one argv (or one options-file line), left to right; each option is recorded in `given`. */
function parseWords(s: ParseState, words: readonly string[], origin: Origin, given: GivenOption[]): Stop {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const spec = findOption(word, s.tool)
    if (!spec || !spec.tools.includes(s.tool)) throw new UsageError(`Unknown option '${maskGluedSecret(word)}'.`)
    if (spec.argvOnly && origin.kind === 'file') throw new UsageError(`${word} cannot be used in an options file (${origin.path}).`)
    if (spec.special === 'help') return { kind: 'help' }
    if (spec.special === 'version') return { kind: 'version' }
    if (spec.special === 'completion') {
      if (i === words.length - 1) throw new UsageError(spec.missing!, 2)
      const shell = words[i + 1]!
      if (!isShell(shell)) throw new UsageError(unknownShell(shell))
      return { kind: 'completion', shell }
    }
    const first = i
    const password = s.passwordSource
    if (spec.special === 'property') {
      i += parseProperty(words, i + 1, s.props)
      s.protocolVersion = 5 // -D switches to v5 here; a later -V can switch back
    } else {
      spec.before?.(s)
      if (spec.missing !== undefined) {
        if (i === words.length - 1) throw new UsageError(spec.missing, 2)
        spec.apply?.(s, words[++i]!)
      } else {
        spec.apply?.(s, '')
      }
    }
    if (s.passwordSource !== password) s.passwordOrigin = origin.kind
    given.push({ spec, words: words.slice(first, i + 1), origin })
  }
  return undefined
}

/**
 * Parse a tspub / tssub / tsrr command line the way mosquitto_pub / _sub / _rr 2.0 do, after the options
 * files: the shared and the tool's defaults, then the chosen profile's lines (profiles.ts).
 * `pid` is the process id that -I appends to its prefix; `helpWidth` the width --help is wrapped to
 * (the default: stdout's, where --help goes), asked only for --help: a run that prints nothing never makes process.stdout.
 */
export function parseArgs(
  tool: Tool,
  argv: string[],
  env: NodeJS.ProcessEnv,
  readFile: (p: string) => string | undefined = readTextFile,
  pid: number = process.pid,
  helpWidth: () => number = () => outputWidth(process.stdout),
): ParseResult {
  const s = initialState(tool)
  const scan = scanArgv(tool, argv)
  const profile = chooseProfile(scan.profile, env)
  const files = fileOptions(tool, env, readFile, profile, scan.informational)
  const given: GivenOption[] = []
  let stop: Stop
  files: for (const chunk of files.chunks) {
    for (const line of chunk.lines) {
      // The shared file serves every tool: a line for another tool's option is not this tool's business, and
      // tsbench takes from it only what it shares with the other clients (there -c is tspub's, not a count).
      const spec = findOption(line.words[0]!, tool)
      if (chunk.origin.shared && spec && (!spec.tools.includes(tool) || isBenchOwn(spec))) continue
      stop = parseWords(s, line.words, chunk.origin, given)
      if (stop) break files
    }
  }
  stop ??= parseWords(s, argv, ARGV, given)
  if (stop?.kind === 'help') return { kind: 'help', text: helpText(tool, helpWidth()) }
  if (stop?.kind === 'version') return { kind: 'version', text: versionText(tool) }
  if (stop?.kind === 'completion') return { kind: 'completion', text: completionScript(clientCompletionSpec(tool), stop.shell) }
  const io = { pid, env, readFile, usageText: (width: number) => usageText(tool, width) }
  if (s.printConfig) {
    const envPassword = envPasswordApplies(s, env)
    let effective: ClientConfig | string
    try {
      effective = finish(s, io)
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      effective = e.message.trim()
    }
    return { kind: 'config', text: printConfig({ tool, given, files: files.files, profile, envPassword, effective }) }
  }
  return { kind: 'run', config: finish(s, io) }
}
