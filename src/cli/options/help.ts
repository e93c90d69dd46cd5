// --help and --version texts, in the shape of mosquitto's usage (our words), generated from the table.
import { packageVersion } from '../../version.js'
import { OPTIONS, type OptionSpec } from './option-table.js'
import { TOOL_NAMES } from './options-file.js'
import type { Tool } from './types.js'


export function versionText(tool: Tool): string {
  return `${TOOL_NAMES[tool]} version ${packageVersion()} running on Node.js ${process.version}.\n`
}

const INTRO: Readonly<Record<Tool, string>> = {
  pub: 'tspub is a simple MQTT client that publishes one message on one topic and exits.\n',
  sub: 'tssub is a simple MQTT client that subscribes to a set of topics and prints every message it receives.\n',
  rr: 'tsrr is an MQTT v5 client that publishes a request message and waits for the response.\n' +
    '    It subscribes to the response topic (-e) and sends it as the Response-Topic of the\n' +
    '    request; the first message that arrives there is printed, like tssub prints it.\n',
}

const SYNOPSIS: Readonly<Record<Tool, string>> = {
  pub:
    'Usage: tspub {[-h host] [-p port] [-u username [-P password | --pw-prompt | --pw-file file]] -t topic | -L URL}\n' +
    '             {-f file | -l | -n | -m message | -s}\n' +
    '             [-A address] [-c] [-d] [-D command name value] [-i id | -I prefix] [-k seconds]\n' +
    '             [-M count] [-q qos] [-r] [--repeat count] [--repeat-delay seconds] [-V version] [-x seconds]\n' +
    '             [--nodelay] [--quiet] [--unix path] [--proxy socks-url]\n' +
    '             [--will-topic topic [--will-payload text] [--will-qos qos] [--will-retain]]\n' +
    '             [{--cafile file | --capath dir | --tls-use-os-certs} [--cert file --key file]\n' +
    '              [--ciphers list] [--insecure] [--tls-alpn protocol] [--tls-version version]]\n' +
    '             [--psk hex-key --psk-identity id]\n' +
    '       tspub --help | --version\n',
  sub:
    'Usage: tssub {[-h host] [-p port] [-u username [-P password | --pw-prompt | --pw-file file]] -t topic ... | -L URL [-t topic ...]}\n' +
    '             [-A address] [-c] [-C count] [-d] [-D command name value] [-E] [-F format | --json] [-i id | -I prefix]\n' +
    '             [-k seconds] [-M count] [-N] [--pretty] [-q qos] [-R | --retained-only] [--remove-retained]\n' +
    '             [--retain-as-published] [--random-filter percent] [-T filter ...] [-U filter ...] [-v]\n' +
    '             [-V version] [-W seconds] [-x seconds] [--nodelay] [--quiet] [--no-color] [--unix path]\n' +
    '             [--proxy socks-url] [--will-topic topic [--will-payload text] [--will-qos qos] [--will-retain]]\n' +
    '             [{--cafile file | --capath dir | --tls-use-os-certs} [--cert file --key file]\n' +
    '              [--ciphers list] [--insecure] [--tls-alpn protocol] [--tls-version version]]\n' +
    '             [--psk hex-key --psk-identity id]\n' +
    '       tssub --help | --version\n',
  rr:
    'Usage: tsrr {[-h host] [-p port] [-u username [-P password | --pw-prompt | --pw-file file]] -t topic | -L URL}\n' +
    '            -e response-topic {-f file | -n | -m message | -s}\n' +
    '            [-A address] [-c] [-d] [-D command name value] [-F format | --json] [-i id | -I prefix]\n' +
    '            [-k seconds] [-M count] [-N] [--pretty] [-q qos] [-R] [--retain-as-published] [-v]\n' +
    '            [-V version] [-W seconds] [-x seconds] [--nodelay] [--quiet] [--no-color] [--unix path]\n' +
    '            [--proxy socks-url] [--will-topic topic [--will-payload text] [--will-qos qos] [--will-retain]]\n' +
    '            [{--cafile file | --capath dir | --tls-use-os-certs} [--cert file --key file]\n' +
    '             [--ciphers list] [--insecure] [--tls-alpn protocol] [--tls-version version]]\n' +
    '            [--psk hex-key --psk-identity id]\n' +
    '       tsrr --help | --version\n',
}

function helpLine(spec: OptionSpec, tool: Tool): string {
  const text = typeof spec.help === 'string' ? spec.help : spec.help[tool] ?? ''
  const names = spec.names.join(', ')
  const arg = spec.syntax?.slice(spec.syntax.indexOf(' ') + 1)
  return ` ${spec.syntax ? `${names} ${arg}` : names} : ${text}\n`
}

/** The whole --help text (also printed on stdout by tspub after "Both topic and message must be supplied."). */
export function helpText(tool: Tool): string {
  const lines = OPTIONS.filter((o) => o.tools.includes(tool)).map((o) => helpLine(o, tool)).join('')
  const name = TOOL_NAMES[tool]
  return `${INTRO[tool]}${versionText(tool)}\n${SYNOPSIS[tool]}\n${lines}` +
    `\nSee the ${name}(1) manual page for more information.\n\n`
}
