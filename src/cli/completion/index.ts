// `--completion bash|zsh|fish`: a script to source, generated from a tool's option table.
import { bashScript } from './bash.js'
import { fishScript } from './fish.js'
import type { CompletionSpec } from './spec.js'
import { zshScript } from './zsh.js'

export type { CompletionFlag, CompletionSpec, ValueCompletion } from './spec.js'

export function completionScript(spec: CompletionSpec, shell: 'bash' | 'zsh' | 'fish'): string {
  if (shell === 'bash') return bashScript(spec)
  if (shell === 'zsh') return zshScript(spec)
  return fishScript(spec)
}
