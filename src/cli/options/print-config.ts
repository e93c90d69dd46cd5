// --print-config (ours): the options a run would use, where each came from, secrets masked. The output
// is an options file: `#` comment lines, and one `option value` line per option still in effect, so a
// block of it can be pasted under a `[name]` line (-D lines excepted: a file line holds one value).
import type { OptionSpec } from './option-table.js'
import { TOOL_NAMES } from './options-file.js'
import type { FileOptions, Origin, ProfileChoice } from './profiles.js'
import { MASK, PASSWORD_ENV, maskUrlPassword } from './secrets.js'
import type { ClientConfig, Tool } from './types.js'

/** One option as applied: its words (the option, then its values) and where they came from. */
export interface GivenOption { readonly spec: OptionSpec; readonly words: readonly string[]; readonly origin: Origin }

export interface PrintInputs {
  readonly tool: Tool
  readonly given: readonly GivenOption[]
  readonly files: FileOptions['files']
  readonly profile: ProfileChoice | undefined
  /** TSMQTT_PASSWORD is in effect: it replaces any password option given in an options file. */
  readonly envPassword: boolean
  /** What the run would use; or, when it could not run as is (no topic, say), the reason. */
  readonly effective: ClientConfig | string
}

const SECRET_VALUES = new Set(['-P', '--psk', '--tls-engine-kpass-sha1'])
const URLS_WITH_PASSWORD = new Set(['-L', '--proxy'])
const REPEATABLE = new Set(['-T', '-U', '-D'])

/** The settings an option writes, where options share one (the password options; -h, --unix and -L …). */
const SETTINGS: Readonly<Record<string, readonly string[]>> = {
  '-P': ['password'], '--pw-prompt': ['password'], '--pw-file': ['password'],
  '-h': ['host'], '-p': ['port'], '--unix': ['host', 'port'], '-u': ['username'], '-t': ['topic'],
}

/** What an option writes: -L as much as its URL holds (user[:password]@ too). */
function settings(g: GivenOption): readonly string[] {
  const key = g.spec.names[0]!
  if (key !== '-L') return SETTINGS[key] ?? [key]
  const url = g.words[1] ?? ''
  const authority = url.slice(url.indexOf('://') + 3).split('/')[0]!
  const credentials = authority.includes('@') ? authority.slice(0, authority.indexOf('@')) : undefined
  return ['host', 'port', 'topic', ...(credentials === undefined ? [] : ['username']), ...(credentials?.includes(':') ? ['password'] : [])]
}

/**
 * An option is overridden when later options write everything it writes. Never one that adds up:
 * -T, -U, -D, and for tssub whatever gives a topic (-t, -L).
 */
function overridden(g: GivenOption, later: readonly GivenOption[], tool: Tool): boolean {
  const mine = settings(g)
  if (REPEATABLE.has(g.spec.names[0]!) || (tool === 'sub' && mine.includes('topic'))) return false
  const written = new Set(later.flatMap(settings))
  return mine.every((s) => written.has(s))
}

/** The words of an option as they may be shown. */
export function maskedWords(g: GivenOption): string[] {
  const [name, ...values] = g.words
  const key = g.spec.names[0]!
  if (SECRET_VALUES.has(key)) return [name!, ...values.map(() => MASK)]
  if (URLS_WITH_PASSWORD.has(key)) return [name!, ...values.map(maskUrlPassword)]
  if (key === '-D' && values[1]?.toLowerCase() === 'authentication-data') return [name!, values[0]!, values[1]!, MASK]
  return [...g.words]
}

function originText(o: Origin): string {
  if (o.kind === 'argv') return 'the command line'
  return o.profile === undefined ? `${o.path} (defaults)` : `${o.path} [${o.profile}]`
}

function sameOrigin(a: Origin, b: Origin): boolean {
  return originText(a) === originText(b)
}

export function printConfig(p: PrintInputs): string {
  const out = [
    `# ${TOOL_NAMES[p.tool]} --print-config: options in the order they apply; a later line wins.`,
    `# Secrets are shown as ${MASK}. Options not listed keep their defaults.`,
  ]
  for (const f of p.files) out.push(`# file: ${f.path}${f.found ? '' : ' (not found)'}`)
  out.push(p.profile ? `# profile: ${p.profile.name} (from ${p.profile.from})` : '# profile: none')
  let last: Origin | undefined
  const given = p.given.filter((g) => !g.spec.argvOnly) // shown above; an options file refuses them
  given.forEach((g, i) => {
    if (!last || !sameOrigin(last, g.origin)) out.push(`# from ${originText(g.origin)}`)
    last = g.origin
    const line = maskedWords(g).join(' ')
    const laterSame = overridden(g, given.slice(i + 1), p.tool)
    const byEnv = p.envPassword && g.origin.kind === 'file' && settings(g).every((s) => s === 'password')
    if (laterSame) out.push(`#   overridden: ${line}`)
    else if (byEnv) out.push(`#   overridden by ${PASSWORD_ENV}: ${line}`)
    else out.push(line)
  })
  if (p.envPassword) out.push(`# from the environment`, `#   password: ${MASK} (from ${PASSWORD_ENV})`)
  out.push(...effectiveLines(p.effective, p.tool))
  return `${out.join('\n')}\n`
}

const VERSIONS = { 3: 'mqttv31', 4: 'mqttv311', 5: 'mqttv5' } as const

/** The settings the lines above add up to (-L sets several at once, ports depend on TLS …). */
function effectiveLines(c: ClientConfig | string, tool: PrintInputs['tool']): string[] {
  if (typeof c === 'string') return [`# in effect: none, the command cannot run as is: ${c}`]
  const transport = c.unixPath !== undefined ? 'unix' : c.websockets ? (c.tls ? 'wss' : 'ws') : c.tls ? 'tls' : 'tcp'
  const broker = c.unixPath !== undefined ? `unix ${c.unixPath}` : `${transport} ${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`
  const pw = c.passwordSource
  const password = pw.kind === 'none' ? 'none'
    : pw.kind === 'env' ? `${MASK} (from ${PASSWORD_ENV})`
    : pw.kind === 'file' ? `read from ${pw.path}`
    : pw.kind === 'prompt' ? 'asked on the terminal'
    : MASK
  return [
    '# in effect:',
    `#   broker: ${broker}${c.proxy ? ` through socks5h ${c.proxy.host}:${c.proxy.port}` : ''}`,
    `#   protocol: ${VERSIONS[c.protocolVersion]}`,
    tool === 'bench' // one id per connection (src/cli/bench/run-bench.ts)
      ? `#   client ids: ${c.clientId !== '' ? c.clientId : 'tsbench-<random run id>'}-p<i> (publishers), -s<j> (subscribers)`
      : `#   client id: ${c.clientId === '' ? '(chosen by the broker)' : c.clientId}`,
    `#   username: ${c.username ?? 'none'}`,
    `#   password: ${password}`,
  ]
}
