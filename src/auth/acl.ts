// mosquitto's acl_file (reference §9): syntax, error texts and semantics of the 2.0 default plugin, with two
// deliberate tightenings: a matching `deny` (user section or pattern) always wins, and `%u` / `%c` are only
// substituted as whole topic levels (mosquitto 2.0 substitutes them anywhere, so `a%u` could be abused).
import { filterCovers, filtersOverlap, isValidTopicFilter, topicMatches } from '../codec/topics.js'
import { MqttError } from '../core/errors.js'

export type Access = 'read' | 'write' | 'readwrite' | 'deny'
export type Need = 'read' | 'write'

interface Rule { readonly access: Access; readonly filter: string }
interface PatternRule extends Rule { readonly levels: readonly string[]; readonly usesUser: boolean }

export interface AclTable {
  /** Rules before the first `user` line: clients without a username. */
  readonly anonymous: readonly Rule[]
  readonly users: ReadonlyMap<string, readonly Rule[]>
  readonly patterns: readonly PatternRule[]
  /** Non-fatal findings, worded as mosquitto logs them. */
  readonly warnings: readonly string[]
}

/** An acl_file mosquitto would refuse to start with; the message is mosquitto's log line. */
export class AclFileError extends MqttError {
  constructor(message: string, readonly line: number) {
    super(message, 'ERR_ACL_FILE')
  }
}

const ACCESS: ReadonlySet<string> = new Set(['read', 'write', 'readwrite', 'deny'])

/** Parse acl_file text. `fileName` only appears in messages. Throws AclFileError. */
export function parseAcl(text: string, fileName: string): AclTable {
  const anonymous: Rule[] = []
  const users = new Map<string, Rule[]>()
  const patterns: PatternRule[] = []
  const warnings: string[] = []
  let current = anonymous
  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\s+$/, '') // trailing white space (and \r) is not part of a topic
    if (line.startsWith('#')) continue
    const m = /^ *([^ ]+)(?: +(.*))?$/.exec(line)
    if (!m) continue // empty or blank line
    const [, keyword, rest = ''] = m
    const fail = (msg: string) => new AclFileError(msg, n + 1)
    if (keyword === 'user') {
      const name = trimBlanks(rest)
      if (name === '') throw fail(`Error: Missing username in acl_file "${fileName}".`)
      current = users.get(name) ?? []
      users.set(name, current)
    } else if (keyword === 'topic' || keyword === 'pattern') {
      const r = /^([^ ]+)(?: +(.*))?$/.exec(rest)
      if (!r) throw fail(`Error: Empty topic in acl_file "${fileName}".`)
      const rawFilter = r[2] === undefined ? undefined : trimBlanks(r[2])
      const access = rawFilter === undefined ? 'readwrite' : r[1]!
      const filter = rawFilter ?? r[1]!
      if (!ACCESS.has(access)) throw fail(`Error: Invalid topic access type "${access}" in acl_file "${fileName}".`)
      if (!isValidTopicFilter(filter)) throw fail(`Error: Invalid ACL topic "${filter}" in acl_file "${fileName}".`)
      const rule = { access: access as Access, filter }
      if (keyword === 'topic') current.push(rule)
      else patterns.push(patternRule(rule, warnings))
    } else {
      throw fail(`Error: Invalid line in acl_file "${fileName}": ${line}.`)
    }
  }
  return { anonymous, users, patterns, warnings }
}

function patternRule(rule: Rule, warnings: string[]): PatternRule {
  const levels = rule.filter.split('/')
  const whole = levels.filter((l) => l === '%u' || l === '%c').length
  const inside = levels.filter((l) => l !== '%u' && l !== '%c' && /%[uc]/.test(l)).length
  if (inside > 0) {
    warnings.push(`Warning: ACL pattern '${rule.filter}': %u and %c are only replaced when they are a whole topic level.`)
  } else if (whole === 0) {
    warnings.push(`Warning: ACL pattern '${rule.filter}' does not contain '%c' or '%u'.`)
  }
  return { ...rule, levels, usesUser: levels.includes('%u') }
}

function trimBlanks(s: string): string {
  return s.replace(/^\s+|\s+$/g, '')
}

export interface AclSubject { readonly username: string | undefined; readonly clientId: string }

/** The filter a pattern stands for for this client; undefined when it cannot apply to it. */
function substitute(p: PatternRule, s: AclSubject): string | undefined {
  if (p.usesUser && s.username === undefined) return undefined // anonymous clients skip %u patterns
  const out: string[] = []
  for (const level of p.levels) {
    const value = level === '%u' ? s.username : level === '%c' ? s.clientId : level
    // A name with '/' would span several levels (user "a/b" reaching into users/a/...): never a match.
    if (value === undefined || (level !== value && value.includes('/'))) return undefined
    out.push(value)
  }
  return out.join('/')
}

const grants = (access: Access, need: Need) => access === 'readwrite' || access === need

/** The rules that apply to this client (its own or the anonymous ones, then the patterns); undefined: none may. */
function rulesFor(table: AclTable, s: AclSubject): Rule[] | undefined {
  // As mosquitto: with patterns in use, a username or client id holding a wildcard is refused outright.
  if (table.patterns.length > 0 && (/[+#]/.test(s.username ?? '') || /[+#]/.test(s.clientId))) return undefined
  const own = s.username === undefined ? table.anonymous : table.users.get(s.username) ?? []
  const rules: Rule[] = [...own]
  for (const p of table.patterns) {
    const filter = substitute(p, s)
    if (filter !== undefined) rules.push({ access: p.access, filter })
  }
  return rules
}

/**
 * May this client `read` (receive) or `write` (publish) `topic`? Any matching `deny` wins; otherwise a
 * matching rule granting the access is needed. `$` topics only match rules that start with `$`
 * ([MQTT-4.7.2-1] for wildcards; a literal rule can only match a `$` topic by spelling it).
 */
export function aclAllows(table: AclTable, s: AclSubject, topic: string, need: Need): boolean {
  const rules = rulesFor(table, s)
  if (rules === undefined) return false
  let granted = false
  for (const r of rules) {
    if (!topicMatches(r.filter, topic)) continue
    if (r.access === 'deny') return false
    if (grants(r.access, need)) granted = true
  }
  return granted
}

/**
 * May this client subscribe to `filter`? Read access is a property of topics, and a filter stands for many,
 * so the answer is "could any message of this subscription ever be delivered": refused when no rule granting
 * read overlaps the filter, or a `deny` rule covers all of it; granted otherwise, and every message is still
 * checked on delivery (`#` with read access to `a/b` only ever receives `a/b`). mosquitto 2.0 grants every
 * subscription and only filters at delivery.
 */
export function aclAllowsSubscribe(table: AclTable, s: AclSubject, filter: string): boolean {
  const rules = rulesFor(table, s)
  if (rules === undefined) return false
  let possible = false
  for (const r of rules) {
    if (r.access === 'deny') { if (filterCovers(r.filter, filter)) return false }
    else if (grants(r.access, 'read') && filtersOverlap(r.filter, filter)) possible = true
  }
  return possible
}
