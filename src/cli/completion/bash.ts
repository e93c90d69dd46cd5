// A bash completion script: `source <(tspub --completion bash)`, or save it in bash-completion's directory.
import { choices, functionName, profileListing, type CompletionSpec } from './spec.js'

const words = (list: readonly string[]) => `'${list.join(' ')}'`
const pattern = (names: readonly string[]) => names.join('|')

export function bashScript(spec: CompletionSpec): string {
  const fn = functionName(spec.tool)
  const cases: string[] = []
  const ofKind = (kind: 'file' | 'dir' | 'profile' | 'text') => spec.flags.filter((f) => f.value === kind).flatMap((f) => f.names)
  for (const f of spec.flags) {
    const list = choices(f.value)
    if (list) cases.push(`    ${pattern(f.names)}) COMPREPLY=($(compgen -W ${words(list)} -- "$cur")); return;;`)
  }
  const files = ofKind('file'), dirs = ofKind('dir'), text = ofKind('text')
  if (files.length) cases.push(`    ${pattern(files)}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return;;`)
  if (dirs.length) cases.push(`    ${pattern(dirs)}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return;;`)
  const profiles = ofKind('profile')
  if (profiles.length) cases.push(`    ${pattern(profiles)}) COMPREPLY=($(compgen -W "$(${fn}_profiles)" -- "$cur")); return;;`)
  if (text.length) cases.push(`    ${pattern(text)}) return;; # a value with nothing to offer`)
  const property = spec.flags.find((f) => f.value === 'property')
  const props = spec.properties ?? {}
  const propertyBlock = property ? `
  # ${property.names.join(' ')} command name value (user-property: command user-property name value)
  local i
  for i in 1 2 3 4; do
    (( COMP_CWORD - i < 1 )) && break
    case \${COMP_WORDS[COMP_CWORD-i]} in ${pattern(property.names)})
      case $i in
        1) COMPREPLY=($(compgen -W ${words(Object.keys(props))} -- "$cur")); return;;
        2) case $prev in
${Object.entries(props).map(([cmd, names]) => `             ${cmd}) COMPREPLY=($(compgen -W ${words(names)} -- "$cur"));;`).join('\n')}
           esac; return;;
        3) return;;
        4) [[ \${COMP_WORDS[COMP_CWORD-2]} == user-property ]] && return;;
      esac;;
    esac
  done` : ''
  const all = spec.flags.flatMap((f) => f.names)
  const fallback = spec.positional === 'file'
    ? `  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ${words(all)} -- "$cur"))
  else compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); fi`
    : `  COMPREPLY=($(compgen -W ${words(all)} -- "$cur"))`
  const profileHelper = profiles.length ? `# The [name] lines of the options files
${fn}_profiles() {
${profileListing(spec)}
}
` : ''
  return `# bash completion for ${spec.tool} (tsmqtt ${spec.version}), written by \`${spec.tool} --completion bash\`.
# Load it with: source <(${spec.tool} --completion bash)
${profileHelper}${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()${propertyBlock}
  case $prev in
${cases.join('\n')}
  esac
${fallback}
}
complete -F ${fn} ${spec.tool}
`
}
