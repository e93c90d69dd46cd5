// Value readers for one directive line. Error wording follows mosquitto's conf.c
// ("Invalid %s value (%s).", "Empty %s value in configuration."), plus the file and line.
import { ConfigError, type Source } from './types.js'

export class DirectiveLine {
  /** Warnings collected for this line (the parser appends them to the config). */
  readonly warnings: string[] = []

  constructor(
    readonly name: string,
    /** Everything after the directive name, trimmed. */
    readonly rest: string,
    readonly source: Source,
  ) {}

  error(message: string): ConfigError {
    return new ConfigError(message, this.source)
  }

  warn(message: string): void {
    this.warnings.push(`Warning: ${message.replace(/\.$/, '')} (${this.source.file}:${this.source.line}).`)
  }

  /** The whole rest of the line, as mosquitto's conf__parse_string (spaces inside kept). */
  string(label = this.name): string {
    if (this.rest === '') throw this.error(`Empty ${label} value in configuration.`)
    return this.rest
  }

  /** The words after the directive name. */
  words(): string[] {
    return this.rest === '' ? [] : this.rest.split(/[ \t]+/)
  }

  /**
   * One word. Extra words are ignored with a warning (mosquitto ignores them silently); a trailing
   * `# comment` is allowed without one, since mosquitto's atoi/strcmp never saw it either.
   */
  word(label = this.name): string {
    const [first, ...extra] = this.words()
    if (first === undefined) throw this.error(`Empty ${label} value in configuration.`)
    if (extra.length > 0 && !extra[0]!.startsWith('#')) this.warn(`Ignoring extra text "${extra.join(' ')}" after ${this.name}`)
    return first
  }

  bool(label = this.name): boolean {
    const v = this.word(label)
    if (v === 'true' || v === '1') return true
    if (v === 'false' || v === '0') return false
    throw this.error(`Invalid ${label} value (${v}).`)
  }

  /** A decimal integer in [min, max]. mosquitto's atoi would take "12abc" as 12; we refuse it. */
  int(min: number, max: number, label = this.name): number {
    const v = this.word(label)
    if (!/^[+-]?\d+$/.test(v)) throw this.error(`Invalid ${label} value (${v}).`)
    const n = Number(v)
    if (n < min || n > max) throw this.error(`Invalid ${label} value (${v}): must be between ${min} and ${max}.`)
    return n
  }

  /** One of a fixed set of words. */
  choice<T extends string>(allowed: readonly T[], label = this.name): T {
    const v = this.word(label)
    if ((allowed as readonly string[]).includes(v)) return v as T
    throw this.error(`Invalid ${label} value (${v}).`)
  }
}

/** A string slot that may be set once, like mosquitto's conf__parse_string ("Duplicate %s value"). */
export function setOnce(line: DirectiveLine, current: string | undefined, label = line.name): string {
  const v = line.string(label)
  if (current !== undefined) throw line.error(`Duplicate ${label} value in configuration.`)
  return v
}
