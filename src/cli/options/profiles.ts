// Which profile a run uses (--profile, else TSMQTT_PROFILE) and which options-file lines it applies, in
// order: the shared file's defaults, the tool's file's defaults, then the profile's lines from each.
import { UsageError } from '../../core/errors.js'
import { findOption } from './option-table.js'
import {
  optionsFilePath, optionsFileSections, sharedOptionsFilePath, type OptionsLine, type OptionsSections,
} from './options-file.js'
import { emptyPropLists, parseProperty } from './properties.js'
import type { Tool } from './types.js'

/** Where an option came from: a line of an options file (its defaults or a profile), or the command line. */
export type Origin =
  | { readonly kind: 'file'; readonly path: string; readonly profile?: string; readonly shared: boolean }
  | { readonly kind: 'argv' }

export const ARGV: Origin = { kind: 'argv' }

/** The environment variable that picks a profile when the command line names none. */
export const PROFILE_ENV = 'TSMQTT_PROFILE'

export interface ProfileChoice { readonly name: string; readonly from: '--profile' | typeof PROFILE_ENV }

/** The options-file lines of a run, grouped by origin in the order they apply; and every file looked at. */
export interface FileOptions {
  readonly chunks: ReadonlyArray<{ readonly origin: Origin & { kind: 'file' }; readonly lines: readonly OptionsLine[] }>
  readonly files: ReadonlyArray<{ readonly path: string; readonly found: boolean }>
}

/**
 * The last `--profile NAME` of argv, found by walking argv with the option table (so `-m --profile` is a
 * message), and whether argv asks for --help / --version / --completion before anything goes wrong. The
 * walk stops quietly at a word the real parse will refuse: that parse reports it.
 */
export function scanArgv(tool: Tool, argv: readonly string[]): { profile?: string; informational: boolean } {
  let profile: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const spec = findOption(argv[i]!, tool)
    if (!spec || !spec.tools.includes(tool)) break
    if (spec.special === 'help' || spec.special === 'version' || spec.special === 'completion') {
      return { ...(profile === undefined ? {} : { profile }), informational: true }
    }
    if (spec.special === 'property') {
      try { i += parseProperty(argv, i + 1, emptyPropLists()) } catch { break }
      continue
    }
    if (spec.missing === undefined) continue
    if (i === argv.length - 1) break
    const value = argv[++i]!
    if (spec.names[0] === '--profile') profile = value
  }
  return { ...(profile === undefined ? {} : { profile }), informational: false }
}

/** --profile wins over TSMQTT_PROFILE; an empty name (either way) means no profile. */
export function chooseProfile(argvProfile: string | undefined, env: NodeJS.ProcessEnv): ProfileChoice | undefined {
  if (argvProfile !== undefined) return argvProfile === '' ? undefined : { name: argvProfile, from: '--profile' }
  const fromEnv = env[PROFILE_ENV]
  return fromEnv === undefined || fromEnv === '' ? undefined : { name: fromEnv, from: PROFILE_ENV }
}

/**
 * Read the shared and the tool's options file and pick the lines to apply. A profile found in neither file
 * is a usage error naming both (unless `lenient`: --help and friends still answer).
 */
export function fileOptions(
  tool: Tool, env: NodeJS.ProcessEnv, readFile: (p: string) => string | undefined,
  profile: ProfileChoice | undefined, lenient: boolean,
): FileOptions {
  const read: Array<{ path: string; shared: boolean; sections?: OptionsSections }> = []
  const shared = sharedOptionsFilePath(env)
  const own = optionsFilePath(tool, env)
  for (const [path, isShared] of [[shared, true], [own, false]] as const) {
    if (path === undefined) continue
    const text = readFile(path)
    read.push({ path, shared: isShared, ...(text === undefined ? {} : { sections: optionsFileSections(text, path) }) })
  }
  const chunks: Array<FileOptions['chunks'][number]> = []
  for (const f of read) {
    if (f.sections) chunks.push({ origin: { kind: 'file', path: f.path, shared: f.shared }, lines: f.sections.defaults })
  }
  if (profile) {
    const having = read.filter((f) => f.sections?.profiles.has(profile.name))
    if (having.length === 0 && !lenient) throw unknownProfile(profile, read.map((f) => f.path))
    for (const f of having) {
      chunks.push({ origin: { kind: 'file', path: f.path, profile: profile.name, shared: f.shared }, lines: f.sections!.profiles.get(profile.name)! })
    }
  }
  return { chunks, files: read.map((f) => ({ path: f.path, found: f.sections !== undefined })) }
}

function unknownProfile(p: ProfileChoice, paths: readonly string[]): UsageError {
  const via = p.from === PROFILE_ENV ? ` (from ${PROFILE_ENV})` : ''
  const where = paths.length === 0
    ? 'there is no options file (neither XDG_CONFIG_HOME nor HOME is set)'
    : `no [${p.name}] section in ${paths.join(' or ')}`
  return new UsageError(`Unknown profile '${p.name}'${via}: ${where}.`)
}
