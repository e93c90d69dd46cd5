// A fish completion script: `tspub --completion fish | source`, or save it as ~/.config/fish/completions/tspub.fish.
import { choices, functionName, PROFILE_SED, shortHelp, type CompletionFlag, type CompletionSpec } from './spec.js'

/** `-s q -l qos`: fish spells short and long names apart. */
function nameArgs(names: readonly string[]): string {
  return names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ')
}

function flagLine(tool: string, f: CompletionFlag, properties: readonly string[], profileFn: string): string {
  const v = f.value
  const base = `complete -c ${tool} ${nameArgs(f.names)}`
  const desc = ` -d '${shortHelp(f.help)}'`
  if (v === undefined) return base + desc
  if (v === 'property') return `${base} -x -a '${properties.join(' ')}'${desc}`
  const list = choices(v)
  if (list) return `${base} -x -a '${list.join(' ')}'${desc}`
  if (v === 'file') return `${base} -r -F${desc}`
  if (v === 'dir') return `${base} -x -a '(__fish_complete_directories)'${desc}`
  if (v === 'profile') return `${base} -x -a '(${profileFn})'${desc}`
  return `${base} -x${desc}`
}

export function fishScript(spec: CompletionSpec): string {
  const fn = functionName(spec.tool)
  const props = Object.entries(spec.properties ?? {})
  const property = spec.flags.find((f) => f.value === 'property')
  const profileFn = `${fn}_profiles`
  const lines = spec.flags.map((f) => flagLine(spec.tool, f, props.map(([c]) => c), profileFn))
  const profileFiles = (spec.profileFiles ?? []).map((f) => `$dir/${f}`).join(' ')
  const profilePart = spec.flags.some((f) => f.value === 'profile') ? `
# The [name] lines of the options files
function ${profileFn}
    set -l dir $HOME/.config
    set -q XDG_CONFIG_HOME; and set dir $XDG_CONFIG_HOME
    sed -n '${PROFILE_SED}' ${profileFiles} 2>/dev/null
end
` : ''
  const propertyPart = property === undefined ? '' : `
# ${property.names.join(' ')} command name value: the property names the command may carry
function ${fn}_after_property -a cmd
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; and contains -- $tokens[-2] ${property.names.join(' ')}; and test "$tokens[-1]" = $cmd
end
${props.map(([cmd, names]) => `complete -c ${spec.tool} -n '${fn}_after_property ${cmd}' -x -a '${names.join(' ')}'`).join('\n')}
`
  return `# fish completion for ${spec.tool} (tsmqtt ${spec.version}), written by \`${spec.tool} --completion fish\`.
# Load it with: ${spec.tool} --completion fish | source
complete -c ${spec.tool} ${spec.positional === 'file' ? '-F' : '-f'}
${lines.join('\n')}
${propertyPart}${profilePart}`
}
