// What tssub and tsrr print for one message: --json, -F, -v or the bare payload (mosquitto_sub's print_message).
import type { CompiledFormat } from './format-string.js'
import { timePartsOf, type ReceivedMessage, type TimeParts } from './message.js'
import { ndjsonLine } from './ndjson.js'
import { renderFormat } from './render.js'

export interface OutputOptions {
  /** -v: `topic payload`. */
  verbose: boolean
  /** -N: no end-of-line after each message. */
  noEol: boolean
  /** -F, compiled by compileFormat(); overrides -v. */
  format?: CompiledFormat
  /** --pretty: cJSON_Print layout for `%j`/`%J`. */
  pretty: boolean
  /** --json (ours): lossless NDJSON, one object per line; overrides -F and -v, ignores -N. */
  json: boolean
}

export interface FormatResult {
  /** Bytes for stdout (trailing `\n` included unless -N); null = print nothing. */
  out: Buffer | null
  /** Diagnostic lines for stderr, joined with `\n`, without a final newline. */
  err?: string
}

const NL = Buffer.from('\n')

/**
 * Format one message. `now` is read wherever mosquitto reads the clock (each `%I`, `%U`, `%j`, `%J`; once for
 * all `@` codes); by default it returns the message's arrival time, so one message prints one time.
 */
export function formatMessage(m: ReceivedMessage, o: OutputOptions, now?: () => TimeParts): FormatResult {
  const clock = now ?? (() => timePartsOf(m.receivedAt))
  if (o.json) return { out: ndjsonLine(m, clock()) }
  if (o.format) {
    const r = renderFormat(o.format, m, o.pretty, clock)
    const out = o.noEol ? r.out : Buffer.concat([r.out, NL])
    return r.errors.length > 0 ? { out, err: r.errors.join('\n') } : { out }
  }
  const eol = o.noEol ? [] : [NL]
  if (o.verbose) {
    const topic = Buffer.from(m.topic)
    if (m.payload.length > 0) return { out: Buffer.concat([topic, Buffer.from(' '), m.payload, ...eol]) }
    return { out: o.noEol ? null : Buffer.concat([topic, Buffer.from(' (null)\n')]) }
  }
  if (m.payload.length === 0) return { out: null }
  return { out: Buffer.concat([m.payload, ...eol]) }
}
