// `--completion bash|zsh|fish`: a script to source, generated from a tool's option table.
import { bashScript } from './bash.js'
import { fishScript } from './fish.js'
import type { CompletionSpec } from './spec.js'
import { zshScript } from './zsh.js'

export type { CompletionFlag, CompletionSpec, ValueCompletion } from './spec.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = typeof SHELLS[number]

export function isShell(word: string): word is Shell {
  return (SHELLS as readonly string[]).includes(word)
}

/** The error for `--completion <word>` when the word names no shell we write for. */
export function unknownShell(word: string): string {
  return `Unknown shell '${word}' for --completion: ${SHELLS.slice(0, -1).join(', ')} or ${SHELLS[SHELLS.length - 1]}.`
}

export function completionScript(spec: CompletionSpec, shell: Shell): string {
  if (shell === 'bash') return bashScript(spec)
  if (shell === 'zsh') return zshScript(spec)
  return fishScript(spec)
}
