// The password file as tspasswd edits it: every line kept byte for byte (comments, blank lines, lines we do
// not understand), an updated user keeps its position, a new user is appended. mosquitto_passwd 2.0 drops
// every line after a comment when adding a user (reference §7.1, bug); we do not.

/** One line of a password file. `user`/`secret` only for lines that look like `user:secret`. */
export type PasswordLine =
  | { kind: 'entry'; user: string; secret: string; raw: string }
  | { kind: 'other'; raw: string }

export interface PasswordFile { lines: PasswordLine[] }

/**
 * Classify a line the way the broker reads it (reference §7.2): `#` in the first column is a comment, a line
 * without `:` is skipped; the user is the text before the first `:`, the secret up to the next `:`, both
 * trimmed of white space (so a `\r` of a file edited on Windows is not part of the secret).
 */
export function parseLine(raw: string): PasswordLine {
  const text = raw
  if (text.startsWith('#')) return { kind: 'other', raw }
  const colon = text.indexOf(':')
  if (colon < 0) return { kind: 'other', raw }
  const user = trimBlanks(text.slice(0, colon))
  const rest = text.slice(colon + 1)
  const end = rest.indexOf(':')
  const secret = trimBlanks(end < 0 ? rest : rest.slice(0, end))
  if (user === '' || secret === '') return { kind: 'other', raw }
  return { kind: 'entry', user, secret, raw }
}

/** mosquitto's misc__trimblanks (isspace). */
function trimBlanks(s: string): string {
  return s.replace(/^[ \t\r\n\v\f]+|[ \t\r\n\v\f]+$/g, '')
}

export function parsePasswordFile(text: string): PasswordFile {
  if (text === '') return { lines: [] }
  const raws = text.split('\n')
  if (raws[raws.length - 1] === '') raws.pop() // the final newline ends the last line, it starts no new one
  return { lines: raws.map(parseLine) }
}

/** Every line ends with `\n` (a last line without one gets it, so an appended user starts on its own line). */
export function serializePasswordFile(f: PasswordFile): string {
  return f.lines.map((l) => l.raw + '\n').join('')
}

export function entryLine(user: string, secret: string): PasswordLine {
  return { kind: 'entry', user, secret, raw: `${user}:${secret}` }
}

/**
 * Set a user's secret: every line of that user is rewritten in place (mosquitto updates each match),
 * or a new line is appended. Returns whether the user existed.
 */
export function setUser(f: PasswordFile, user: string, secret: string): boolean {
  let found = false
  f.lines = f.lines.map((l) => {
    if (l.kind !== 'entry' || l.user !== user) return l
    found = true
    return entryLine(user, secret)
  })
  if (!found) f.lines.push(entryLine(user, secret))
  return found
}

/** Remove every line of `user`; returns whether there was one. */
export function deleteUser(f: PasswordFile, user: string): boolean {
  const before = f.lines.length
  f.lines = f.lines.filter((l) => l.kind !== 'entry' || l.user !== user)
  return f.lines.length !== before
}

/**
 * `-U`: replace each plain-text secret by `hash(secret)`. Entries already hashed are left alone (mosquitto
 * re-hashes them and makes the file unusable). Returns how many entries were hashed.
 */
export async function hashPlainEntries(
  f: PasswordFile,
  isHashed: (secret: string) => boolean,
  hash: (plain: string) => Promise<string>,
): Promise<number> {
  let count = 0
  const out: PasswordLine[] = []
  for (const l of f.lines) {
    if (l.kind === 'entry' && !isHashed(l.secret)) {
      out.push(entryLine(l.user, await hash(l.secret)))
      count++
    } else {
      out.push(l)
    }
  }
  f.lines = out
  return count
}

/**
 * What the broker warns about when it loads the file: every line that is not blank, not a comment and not a
 * usable `user:secret` entry (that user cannot log in). A `user:` line gets mosquitto's own warning, which
 * names the user; for any other line only its number is given, because the text may be a password.
 * (mosquitto 2.0 says nothing about a line without `:`; a typo there locks a user out, so we do.)
 */
export function invalidLineWarnings(f: PasswordFile, fileName: string): string[] {
  const prefix = `Warning: Invalid line in password file '${fileName}'`
  const out: string[] = []
  f.lines.forEach((l, i) => {
    if (l.kind === 'entry' || l.raw.startsWith('#') || trimBlanks(l.raw) === '') return
    const colon = l.raw.indexOf(':')
    const user = colon < 0 ? '' : trimBlanks(l.raw.slice(0, colon))
    out.push(user !== '' ? `${prefix}: ${user}` : `${prefix}: line ${i + 1}`)
  })
  return out
}

/** The entries as the broker uses them: first line of a user wins. */
export function entries(f: PasswordFile): Map<string, string> {
  const m = new Map<string, string>()
  for (const l of f.lines) if (l.kind === 'entry' && !m.has(l.user)) m.set(l.user, l.secret)
  return m
}
