// The shape shared by tspub, tssub and tsrr: parse mosquitto-style argv (options file first), answer
// --help/--version on stdout with exit 0, otherwise run with the parsed config. A failure is thrown, and
// run.ts prints it (through the command's logger, so --quiet and colour apply).
import { Exit } from './exit-codes.js'
import { outputWidth } from './help-layout.js'
import { writeAll, type Io } from './io.js'
import { parseArgs } from './options/index.js'
import type { ClientConfig, Tool } from './options/types.js'
import type { Command } from './run.js'
import { stderrLogger, type StderrLog } from './stderr-log.js'

export function clientCommand(
  tool: Tool,
  run: (config: ClientConfig, io: Io, signal: AbortSignal, log: StderrLog) => Promise<number>,
): Command {
  return {
    name: `ts${tool}`,
    async run(argv, io, signal, errors) {
      const parsed = parseArgs(tool, argv, io.env, undefined, io.pid, () => outputWidth(io.stdout))
      if (parsed.kind !== 'run') {
        await writeAll(io.stdout, parsed.text)
        return Exit.ok
      }
      const log = await stderrLogger(io, parsed.config)
      if (errors) errors.write = (text) => log.error(text)
      return run(parsed.config, io, signal, log)
    },
  }
}

/** Abort-aware wait: resolves with `aborted` once `signal` fires, whichever comes first. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED)
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
export const ABORTED: unique symbol = Symbol('aborted')
