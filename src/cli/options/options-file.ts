// The default options file (~/.config/tspub …): where it is, and how a line becomes argv words.
import { readFileSync } from 'node:fs'
import type { Tool } from './types.js'

export const TOOL_NAMES: Readonly<Record<Tool, string>> = { pub: 'tspub', sub: 'tssub', rr: 'tsrr', bench: 'tsbench' }

/**
 * $XDG_CONFIG_HOME/<tool> when XDG_CONFIG_HOME is set, even to '' (→ "/tspub", as mosquitto does);
 * else $HOME/.config/<tool>; else no file.
 */
export function optionsFilePath(tool: Tool, env: NodeJS.ProcessEnv): string | undefined {
  const name = TOOL_NAMES[tool]
  const xdg = env['XDG_CONFIG_HOME']
  if (xdg !== undefined) return `${xdg}/${name}`
  const home = env['HOME']
  if (home !== undefined) return `${home}/.config/${name}`
  return undefined
}

/** A missing or unreadable options file is silently ignored. */
export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Each line is parsed on its own as a little argv: `#` in column 1 is a comment, trailing CR/LF go,
 * leading spaces are skipped, and the line splits at the first space after the option — everything
 * after it (spaces included) is one argument. So `-t a b` is topic "a b", and an option needing two
 * words (-D) cannot be used here. mosquitto reads 1023-byte chunks; we take whole lines.
 */
export function optionsFileLines(text: string): string[][] {
  const lines: string[][] = []
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue
    const line = raw.replace(/[\r\n]+$/, '')
    const start = line.search(/[^ ]/)
    if (start < 0) continue
    const space = line.indexOf(' ', start)
    if (space < 0) {
      lines.push([line.slice(start)])
      continue
    }
    const rest = line.slice(space + 1)
    lines.push(rest === '' ? [line.slice(start, space)] : [line.slice(start, space), rest])
  }
  return lines
}
