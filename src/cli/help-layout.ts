// --help in mosquitto's shape (an intro, the version line, a `Usage:` synopsis, one ` -x : text` line per
// option, a pointer to the man page), grouped into titled sections and wrapped to the output's width:
// the terminal's (at most MAX_WIDTH), 80 when the output is not a terminal.
import type { Writable } from 'node:stream'

export interface HelpOption {
  /** What the user types: `-t, --topic topic`. */
  readonly syntax: string
  readonly text: string
}

export interface HelpSection {
  readonly title: string
  readonly options: readonly HelpOption[]
}

export interface HelpDoc {
  /** `<tool> is …`: one paragraph, wrapped. */
  readonly intro: string
  readonly versionLine?: string
  /** Each usage form as its pieces (`[-h host]`, `{-f file | -m message}`); a line break falls between pieces. */
  readonly usage: ReadonlyArray<readonly string[]>
  readonly sections: readonly HelpSection[]
  /** Paragraphs after the options (the man page pointer last). */
  readonly footer: readonly string[]
}

/** Wider lines are hard to read, whatever the terminal (clap stops at 100 too). */
const MAX_WIDTH = 100
const MIN_WIDTH = 40

/** The width help written to `out` is wrapped to. */
export function outputWidth(out: Writable & { isTTY?: boolean; columns?: number }): number {
  if (out.isTTY !== true || !out.columns) return 80
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, out.columns))
}

/** Greedy word wrap: `first` starts the first line, `indent` the others. Words longer than a line stay whole. */
function wrap(text: string, width: number, first = '', indent = first.replace(/./g, ' ')): string[] {
  const lines: string[] = []
  let line = first
  let empty = true
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line)
      line = indent + word
    } else {
      line += (empty ? '' : ' ') + word
    }
    empty = false
  }
  lines.push(line)
  return lines
}

/** A usage form: pieces kept whole where they fit; a piece wider than a line is wrapped at its spaces. */
function usageLines(pieces: readonly string[], prefix: string, width: number): string[] {
  const indent = ' '.repeat(prefix.length)
  const lines: string[] = []
  let line = prefix
  let empty = true
  for (const piece of pieces) {
    if (!empty && line.length + 1 + piece.length > width) {
      lines.push(line)
      line = indent
      empty = true
    }
    if (empty && line.length + piece.length > width) {
      const parts = wrap(piece, width, line, indent + ' ')
      lines.push(...parts.slice(0, -1))
      line = parts[parts.length - 1]!
    } else {
      line += (empty ? '' : ' ') + piece
    }
    empty = false
  }
  lines.push(line)
  return lines
}

/** The synopsis alone: `Usage: tool …` and the other forms aligned under it. */
export function renderUsage(doc: HelpDoc, tool: string, width: number): string {
  return doc.usage.map((pieces, i) => usageLines(pieces, `${i === 0 ? 'Usage: ' : '       '}${tool} `, width).join('\n')).join('\n') + '\n'
}

/** Continuation lines align under the text only when it starts this near the left edge. */
const MAX_HANGING_INDENT = 28

/**
 * ` syntax : text`, continued under the text (as mosquitto aligns its continuation lines), or six columns
 * in when the syntax is long (a narrow column of text several lines deep is hard to read).
 */
function optionLines(o: HelpOption, width: number): string[] {
  const head = ` ${o.syntax} : `
  const indent = head.length <= Math.min(MAX_HANGING_INDENT, width / 2) ? ' '.repeat(head.length) : '      '
  return wrap(o.text, width, head, indent)
}

export function renderHelp(doc: HelpDoc, tool: string, width: number): string {
  const out: string[] = [...wrap(doc.intro, width), ...(doc.versionLine ? wrap(doc.versionLine, width) : []), '', renderUsage(doc, tool, width).trimEnd()]
  for (const s of doc.sections) {
    if (s.options.length === 0) continue
    out.push('', `${s.title}:`)
    for (const o of s.options) out.push(...optionLines(o, width))
  }
  for (const p of doc.footer) out.push('', ...wrap(p, width))
  return out.join('\n') + '\n\n'
}
