// The shape shared by tspub, tssub and tsrr: parse mosquitto-style argv (options file first), answer
// --help/--version on stdout with exit 0, otherwise run with the parsed config.
import { Exit } from './exit-codes.js'
import { writeAll, type Io } from './io.js'
import { parseArgs } from './options/index.js'
import type { ClientConfig, Tool } from './options/types.js'
import type { Command } from './run.js'

export function clientCommand(
  tool: Tool,
  run: (config: ClientConfig, io: Io, signal: AbortSignal) => Promise<number>,
): Command {
  return {
    name: `ts${tool}`,
    async run(argv, io, signal) {
      const parsed = parseArgs(tool, argv, io.env, undefined, io.pid)
      if (parsed.kind !== 'run') {
        await writeAll(io.stdout, parsed.text)
        return Exit.ok
      }
      return run(parsed.config, io, signal)
    },
  }
}
