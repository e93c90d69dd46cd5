// The options files (~/.config/tspub …, and the shared ~/.config/tsmqtt/profiles): where they are, how
// a line becomes argv words, and how `[name]` lines cut a file into the defaults and named profiles.
import { readFileSync } from 'node:fs'
import { UsageError } from '../../core/errors.js'
import type { Tool } from './types.js'

export const TOOL_NAMES: Readonly<Record<Tool, string>> = { pub: 'tspub', sub: 'tssub', rr: 'tsrr', bench: 'tsbench' }

/** $XDG_CONFIG_HOME when set, even to '' (→ "/tspub", as mosquitto does); else $HOME/.config; else none. */
function configDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env['XDG_CONFIG_HOME']
  if (xdg !== undefined) return xdg
  const home = env['HOME']
  return home === undefined ? undefined : `${home}/.config`
}

/** The tool's own options file: mosquitto's ~/.config/mosquitto_pub, renamed. */
export function optionsFilePath(tool: Tool, env: NodeJS.ProcessEnv): string | undefined {
  const dir = configDir(env)
  return dir === undefined ? undefined : `${dir}/${TOOL_NAMES[tool]}`
}

/** The file every client tool reads before its own, relative to the config directory. */
export const SHARED_OPTIONS_FILE = 'tsmqtt/profiles'

/** The file every client tool reads before its own: profiles (and defaults) shared by tspub, tssub, tsrr … */
export function sharedOptionsFilePath(env: NodeJS.ProcessEnv): string | undefined {
  const dir = configDir(env)
  return dir === undefined ? undefined : `${dir}/${SHARED_OPTIONS_FILE}`
}

/** A missing or unreadable options file is silently ignored. */
export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** One option line: its argv words and its 1-based line number in the file. */
export interface OptionsLine { readonly words: string[]; readonly line: number }

/** A parsed options file: the lines before the first `[name]`, then each profile's lines (same name: joined). */
export interface OptionsSections { readonly defaults: OptionsLine[]; readonly profiles: ReadonlyMap<string, OptionsLine[]> }

/** What a profile may be called: `[prod]`, `[eu-west.2]`, `[test_1]`. */
export const PROFILE_NAME = /^[A-Za-z0-9_.-]+$/

/**
 * Each line is parsed on its own as a little argv: `#` in column 1 is a comment, trailing CR/LF go,
 * leading spaces are skipped, and the line splits at the first space after the option — everything
 * after it (spaces included) is one argument. So `-t a b` is topic "a b", and an option needing two
 * words (-D) cannot be used here. mosquitto reads 1023-byte chunks; we take whole lines.
 *
 * Ours: a line that starts with `[` (after leading spaces) and ends with `]` (before trailing spaces)
 * opens the profile of that name. mosquitto would refuse such a line ("Unknown option '[prod]'"), so
 * every mosquitto options file has no sections and means what it always did.
 */
export function optionsFileSections(text: string, path: string): OptionsSections {
  const defaults: OptionsLine[] = []
  const profiles = new Map<string, OptionsLine[]>()
  let current = defaults
  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!
    if (raw.startsWith('#')) continue
    const line = raw.replace(/[\r\n]+$/, '')
    const start = line.search(/[^ ]/)
    if (start < 0) continue
    if (line[start] === '[') {
      const header = line.slice(start).replace(/[ \t]+$/, '')
      const name = header.endsWith(']') ? header.slice(1, -1).trim() : ''
      if (!PROFILE_NAME.test(name)) {
        throw new UsageError(`Invalid profile section '${header}' in ${path} line ${n + 1}: a name is letters, digits, '_', '-' and '.'.`)
      }
      current = profiles.get(name) ?? []
      profiles.set(name, current)
      continue
    }
    current.push({ words: lineWords(line, start), line: n + 1 })
  }
  return { defaults, profiles }
}

function lineWords(line: string, start: number): string[] {
  const space = line.indexOf(' ', start)
  if (space < 0) return [line.slice(start)]
  const rest = line.slice(space + 1)
  return rest === '' ? [line.slice(start, space)] : [line.slice(start, space), rest]
}

/** The lines of a file without sections, as mosquitto reads them (each line's words). */
export function optionsFileLines(text: string): string[][] {
  return optionsFileSections(text, '').defaults.map((l) => l.words)
}
