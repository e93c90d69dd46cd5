// Diagnostics for pub/sub/rr: `-d` lines and runtime errors, on stderr (stdout is data).
// Colour only for a human at a terminal: never with NO_COLOR, --no-color, or when stderr is not a TTY.
import type { Io } from './io.js'

export interface StderrLog {
  /** A `-d` line; undefined when -d is off, so the client skips building the strings. */
  debug: ((line: string) => void) | undefined
  /** A runtime error text (already newline-terminated); silenced by --quiet. */
  error(text: string): void
}

export interface LogSettings { debug: boolean; quiet: boolean; noColor: boolean }

export async function stderrLogger(io: Io, c: LogSettings): Promise<StderrLog> {
  const colour = !c.noColor && io.stderr.isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb'
  // chalk is loaded only when a terminal will see colour: the scripted path stays lean.
  const paint = colour ? new (await import('chalk')).Chalk({ level: 1 }) : undefined
  return {
    debug: c.debug ? (line) => { io.stderr.write(`${paint ? paint.dim(line) : line}\n`) } : undefined,
    error(text) {
      if (c.quiet) return
      io.stderr.write(paint ? paintLines(text, (l) => paint.red(l)) : text)
    },
  }
}

/**
 * Colour each line, not the newlines: chalk given 'Error: x\n' closes and reopens its colour around the line
 * break, which left a stray `\x1b[31m\x1b[39m` after the last newline (and no newline after it).
 */
function paintLines(text: string, paint: (line: string) => string): string {
  return text.split('\n').map((l) => (l === '' ? l : paint(l))).join('\n')
}
