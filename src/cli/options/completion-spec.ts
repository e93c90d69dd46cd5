// The completion spec of tspub, tssub, tsrr and tsbench: every option the tool accepts, from the one option table.
import { packageVersion } from '../../version.js'
import type { CompletionSpec } from '../completion/index.js'
import { optionHelp } from './help.js'
import { OPTIONS } from './option-table.js'
import { SHARED_OPTIONS_FILE, TOOL_NAMES } from './options-file.js'
import { propertyNamesByCommand } from './properties.js'
import type { Tool } from './types.js'

export function clientCompletionSpec(tool: Tool): CompletionSpec {
  return {
    tool: TOOL_NAMES[tool],
    version: packageVersion(),
    flags: OPTIONS.filter((o) => o.tools.includes(tool)).map((o) => ({
      names: o.names,
      help: optionHelp(o, tool),
      ...(o.syntax && o.special !== 'property' ? { valueName: o.syntax.slice(o.syntax.indexOf(' ') + 1) } : {}),
      ...(o.special === 'property' ? { value: 'property' as const } : o.missing !== undefined ? { value: o.complete ?? 'text' } : {}),
    })),
    properties: propertyNamesByCommand(),
    profileFiles: [SHARED_OPTIONS_FILE, TOOL_NAMES[tool]],
  }
}
