// What a tool's completion script knows, whichever shell it is for: its flags and what follows each.

/** A value with something to offer: a file, a directory, a profile name (from the options files), or one of these words. */
export type ValueCompletion = 'file' | 'dir' | 'profile' | readonly string[]

export interface CompletionFlag {
  readonly names: readonly string[]
  /** One line of description (zsh and fish show it). */
  readonly help: string
  /** Absent: a switch. `text`: a value with nothing to offer (a host, a topic). `property`: -D's words. */
  readonly value?: 'text' | 'property' | ValueCompletion
  /** What the value is called (`topic`, `seconds`), for zsh's message while it is typed. */
  readonly valueName?: string
}

export interface CompletionSpec {
  readonly tool: string
  readonly version: string
  readonly flags: readonly CompletionFlag[]
  /** -D command name value: each command word, with the property names that command may carry. */
  readonly properties?: Readonly<Record<string, readonly string[]>>
  /** `profile` values: the options files to read `[name]` lines from, relative to $XDG_CONFIG_HOME (~/.config). */
  readonly profileFiles?: readonly string[]
  /** What a word that is not an option is (tspasswd's password file); absent: nothing to offer. */
  readonly positional?: 'file'
}

/** The words offered for a value, when it is a list of them. */
export function choices(v: CompletionFlag['value']): readonly string[] | undefined {
  return Array.isArray(v) ? v : undefined
}

/** sed program printing the name of each `[name]` line (the parser's rule: leading spaces, blanks inside and after). */
export const PROFILE_SED = String.raw`s/^ *\[[[:blank:]]*\([A-Za-z0-9_.-]\{1,\}\)[[:blank:]]*\][[:space:]]*$/\1/p`

/** bash and zsh: the body lines that print the profile names, one per line (nothing when there are no files). */
export function profileListing(spec: CompletionSpec): string {
  const files = (spec.profileFiles ?? []).map((f) => `"$dir/${f}"`).join(' ')
  return `  local dir=\${XDG_CONFIG_HOME-$HOME/.config}\n  sed -n '${PROFILE_SED}' ${files} 2>/dev/null`
}

/** A function name for the shell: `_tsmqtt_tspub`. */
export function functionName(tool: string): string {
  return `_tsmqtt_${tool.replace(/[^A-Za-z0-9]/g, '_')}`
}

/** The description of a flag, shortened to its first clause and kept to safe characters for any shell. */
export function shortHelp(help: string): string {
  const first = help.split(/(?<=[.;:])\s|\s\(/)[0]!.replace(/[.;:]$/, '')
  return first.replace(/[^\w ,/%#+=<>@-]/g, '').replace(/^./, (c) => c.toUpperCase())
}
