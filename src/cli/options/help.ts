// --help and --version texts of tspub, tssub, tsrr and tsbench, in the shape of mosquitto's usage (our words),
// generated from the option table: the tool's own options first, then the shared ones by section.
import { packageVersion } from '../../version.js'
import { renderHelp, renderUsage, type HelpDoc, type HelpSection } from '../help-layout.js'
import { OPTIONS, type OptionGroup, type OptionSpec } from './option-table.js'
import { TOOL_NAMES } from './options-file.js'
import type { Tool } from './types.js'

export function versionText(tool: Tool): string {
  return `${TOOL_NAMES[tool]} version ${packageVersion()} running on Node.js ${process.version}.\n`
}

const INTRO: Readonly<Record<Tool, string>> = {
  pub: 'tspub is a simple MQTT client that publishes one message on one topic and exits.',
  sub: 'tssub is a simple MQTT client that subscribes to a set of topics and prints every message it receives.',
  rr: 'tsrr is an MQTT v5 client that publishes a request message and waits for the response. It subscribes to ' +
    'the response topic (-e) and sends it as the Response-Topic of the request; the first message that arrives ' +
    'there is printed, as tssub prints it.',
  bench: 'tsbench measures an MQTT broker: N publishers and M subscribers on their own connections, then a summary of ' +
    'messages sent, received, lost and duplicated, throughput and end-to-end latency (p50/p95/p99/max). ' +
    'With --check it probes what the broker supports instead.',
}

const SHARED_TITLES = {
  output: 'Output', connection: 'Connection', session: 'Session and authentication', will: 'Will', tls: 'TLS',
  info: 'Diagnostics and information',
} as const

/** The section titles (also the man pages' OPTIONS subsections); `own` is each tool's own. */
export const SECTION_TITLES: Readonly<Record<Tool, Readonly<Record<OptionGroup, string>>>> = {
  pub: { own: 'Publishing', ...SHARED_TITLES },
  sub: { own: 'Subscribing', ...SHARED_TITLES },
  rr: { own: 'Request and response', ...SHARED_TITLES },
  bench: { own: 'Benchmark', ...SHARED_TITLES },
}

const GROUP_ORDER: readonly OptionGroup[] = ['own', 'output', 'connection', 'session', 'will', 'tls', 'info']

/** Connection, credentials and the shared flags, as the pieces every synopsis ends with. */
const SHARED_USAGE = [
  '[-A address]', '[-c]', '[-d]', '[-D command name value]', '[-i id | -I prefix]', '[-k seconds]', '[-M count]',
  '[-V version]', '[-x seconds]', '[--nodelay]', '[--quiet]', '[--no-color]', '[--unix path]', '[--ws]', '[--proxy socks-url]',
  '[--will-topic topic [--will-payload text] [--will-qos qos] [--will-retain]]',
  '[{--cafile file | --capath dir | --tls-use-os-certs} [--cert file --key file] [--ciphers list] [--insecure] [--tls-alpn protocol] [--tls-version version]]',
  '[--psk hex-key --psk-identity id]',
]
const WHERE = '[-h host] [-p port] [-u username [-P password | --pw-prompt | --pw-file file]]'

const USAGE: Readonly<Record<Tool, ReadonlyArray<readonly string[]>>> = {
  pub: [
    [`{${WHERE} -t topic | -L URL}`, '{-f file | -l | -n | -m message | -s}', '[-q qos]', '[-r]', '[--repeat count]',
      '[--repeat-delay seconds]', ...SHARED_USAGE],
    [WHERE, '{-l --topic-separator sep | --ndjson [-t topic] [--replay-timing] [--replay-speed factor]}', '[--strict]',
      '[-q qos]', '[-r]', '[options]'],
    ['--help | --version | --completion shell'],
  ],
  sub: [
    [`{${WHERE} -t topic ... | -L URL [-t topic ...]}`, '[-q qos]', '[-C count]', '[-E]', '[-R | --retained-only]',
      '[--remove-retained]', '[--retain-as-published]', '[--random-filter percent]', '[-T filter ...]', '[-U filter ...]',
      '[-W seconds]', '[-v]', '[-N]', '[-F format | --json]', '[--pretty]', ...SHARED_USAGE],
    ['--help | --version | --completion shell'],
  ],
  rr: [
    [`{${WHERE} -t topic | -L URL}`, '-e response-topic', '{-f file | -n | -m message | -s}', '[-q qos]', '[-R]',
      '[--retain-as-published]', '[-W seconds]', '[-v]', '[-N]', '[-F format | --json]', '[--pretty]', ...SHARED_USAGE],
    ['--help | --version | --completion shell'],
  ],
  bench: [
    [WHERE, '[-c publishers]', '[-S subscribers]', '[-t pattern]', '[--sub-topic filter]', '[-q qos]', '[-s bytes]',
      '[-r msgs-per-second | --total-rate msgs-per-second]', '[-C count]', '[--duration seconds]', '[--ramp conns-per-second]',
      '[--drain seconds]', '[--workers count]', '[--retain]', '[--json]', '[-I prefix]',
      ...SHARED_USAGE.filter((u) => u !== '[-c]' && !u.startsWith('[--will') && !u.startsWith('[-i'))],
    [WHERE, '--check', '[--json]', '[-V version]', '[-L URL]', '[--ws]', '[TLS options]'],
    ['--help | --version | --completion shell'],
  ],
}

/** `-t, --topic topic`: every name, then the value word(s) of the syntax. */
function optionSyntax(spec: OptionSpec): string {
  const names = spec.names.join(', ')
  return spec.syntax ? `${names} ${spec.syntax.slice(spec.syntax.indexOf(' ') + 1)}` : names
}

export function optionHelp(spec: OptionSpec, tool: Tool): string {
  return typeof spec.help === 'string' ? spec.help : spec.help[tool] ?? ''
}

function helpDoc(tool: Tool): HelpDoc {
  const accepted = OPTIONS.filter((o) => o.tools.includes(tool))
  const sections: HelpSection[] = GROUP_ORDER.map((g) => ({
    title: SECTION_TITLES[tool][g],
    options: accepted.filter((o) => o.group === g).map((o) => ({ syntax: optionSyntax(o), text: optionHelp(o, tool) })),
  }))
  return {
    intro: INTRO[tool], versionLine: versionText(tool).trimEnd(), usage: USAGE[tool], sections,
    footer: [`See the ${TOOL_NAMES[tool]}(1) manual page for more information.`],
  }
}

/** The whole --help text, wrapped to `width` columns. */
export function helpText(tool: Tool, width = 80): string {
  return renderHelp(helpDoc(tool), TOOL_NAMES[tool], width)
}

/** The synopsis alone: what tspub prints (on stderr) after "Both topic and message must be supplied.". */
export function usageText(tool: Tool, width = 80): string {
  return renderUsage(helpDoc(tool), TOOL_NAMES[tool], width)
}
