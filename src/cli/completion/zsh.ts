// A zsh completion script: `source <(tspub --completion zsh)` after compinit, or save it as _tspub in $fpath.
import { choices, functionName, profileListing, shortHelp, type CompletionFlag, type CompletionSpec } from './spec.js'

/** What follows the option in an _arguments spec (`:message:action` per value word). */
function valueSpec(f: CompletionFlag, spec: CompletionSpec, propertyFn: string, profileFn: string): string {
  const v = f.value
  if (v === undefined) return ''
  if (v === 'property') return `:command:(${Object.keys(spec.properties ?? {}).join(' ')}):property:${propertyFn}:value: `
  const name = (f.valueName ?? 'value').replace(/[^\w|-]/g, '')
  const list = choices(v)
  if (list) return `:${name}:(${list.join(' ')})`
  if (v === 'file') return `:${name}:_files`
  if (v === 'dir') return `:${name}:_files -/`
  if (v === 'profile') return `:${name}:${profileFn}`
  return `:${name}: ` // free text: the message is shown, nothing is offered
}

export function zshScript(spec: CompletionSpec): string {
  const fn = functionName(spec.tool)
  const propertyFn = `${fn}_property_names`
  const profileFn = `${fn}_profiles`
  // `*`: any option may be given again (the later one wins), so zsh keeps offering it.
  const specs = spec.flags.flatMap((f) => f.names.map((n) => `'*${n}[${shortHelp(f.help)}]${valueSpec(f, spec, propertyFn, profileFn)}'`))
  if (spec.positional === 'file') specs.push("'*:file:_files'")
  const props = Object.entries(spec.properties ?? {})
  const propertyHelper = props.length === 0 ? '' : `${propertyFn}() {
  local -a names
  case $words[CURRENT-1] in
${props.map(([cmd, names]) => `    ${cmd}) names=(${names.join(' ')});;`).join('\n')}
  esac
  compadd -a names
}
`
  const profileHelper = spec.flags.some((f) => f.value === 'profile') ? `${profileFn}_list() {
${profileListing(spec)}
}
${profileFn}() {
  local -a names
  names=(\${(f)"$(${profileFn}_list)"})
  compadd -a names
}
` : ''
  return `#compdef ${spec.tool}
# zsh completion for ${spec.tool} (tsmqtt ${spec.version}), written by \`${spec.tool} --completion zsh\`.
# Load it with: source <(${spec.tool} --completion zsh) (after compinit), or save it as _${spec.tool} in $fpath.
${propertyHelper}${profileHelper}${fn}() {
  _arguments \\
    ${specs.join(' \\\n    ')}
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then ${fn} "$@"; else compdef ${fn} ${spec.tool}; fi
`
}
