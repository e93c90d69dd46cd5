// The one place where a command's typed error becomes a stderr line and an exit code.
import { ConnackRefusedError, MqttError, TimeoutError, UsageError } from '../core/errors.js'
import { connackRefusedText } from './connect-errors.js'
import { CommandError, exitCodeFor } from './exit-codes.js'
import { outputWidth } from './help-layout.js'
import type { Io } from './io.js'

/** Where the error line goes: stderr, unless the command (once it knows --quiet and colour) says otherwise. */
export interface ErrorSink { write?: (text: string) => void }

export interface Command {
  /** Tool name as the user typed it: tspub, tssub, tsrr, tspasswd, tsbroker. */
  readonly name: string
  run(argv: string[], io: Io, signal: AbortSignal, errors?: ErrorSink): Promise<number>
}

/**
 * Run a command with SIGINT/SIGTERM wired to an AbortSignal. Errors thrown by the command are printed
 * as one line (`Error: …`); usage errors get mosquitto's tail `Use '<tool> --help' to see usage.`
 */
export async function runCommand(cmd: Command, argv: string[], io: Io): Promise<number> {
  const ac = new AbortController()
  const onSignal = () => ac.abort()
  const sink: ErrorSink = {}
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  try {
    return await cmd.run(argv, io, ac.signal, sink)
  } catch (err) {
    const text = errorText(cmd.name, err)
    if (sink.write && !(err instanceof UsageError)) sink.write(text)
    else io.stderr.write(text)
    if (err instanceof UsageError && err.shape.usage) io.stderr.write(`\n${err.shape.usage(outputWidth(io.stderr))}`)
    return exitCodeFor(err)
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
  }
}

export function errorText(tool: string, err: unknown): string {
  if (err instanceof CommandError) return `${err.line}\n`
  if (err instanceof UsageError) {
    const head = err.shape.bare ? `${err.message}\n` : `Error: ${err.message}\n`
    return err.shape.noTail ? head : `${head}${'\n'.repeat(err.blankLines)}Use '${tool} --help' to see usage.\n`
  }
  if (err instanceof ConnackRefusedError) return connackRefusedText(tool, err)
  if (err instanceof TimeoutError) return `${err.message}\n` // mosquitto's bare "Timed out"
  if (err instanceof MqttError) return `Error: ${err.message}\n`
  // An unexpected bug: still one line, never a stack trace.
  const message = err instanceof Error ? err.message : String(err)
  return `Error: ${message}\n`
}
