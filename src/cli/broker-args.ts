// tsbroker's command line (mosquitto's -c/-d/-p/-v plus --port-file), parsed with yargs 18.
import { packageVersion } from '../version.js'
import yargs from 'yargs'
import { UsageError } from '../core/errors.js'

export interface BrokerArgs {
  configFile: string | undefined
  /** `-p`, repeatable; 0 = a free port. */
  ports: number[]
  verbose: boolean
  daemon: boolean
  portFile: string | undefined
  /** --help / --version: print this to stdout and exit 0. */
  print: string | undefined
}

export const USAGE = `tsbroker is an MQTT v5.0/v3.1.1/v3.1 broker, a small stand-in for mosquitto.

Usage: tsbroker [-c config_file] [-d] [-h] [-p port] [-v] [--port-file file]

 -c : specify the broker config file (mosquitto.conf syntax).
 -d : put the broker into the background after starting.
 -h : display this help.
 -p : start the broker listening on the specified port, on 127.0.0.1.
      0 picks a free port. May be given several times.
 -v : verbose mode - enable all logging types. This overrides
      any logging options given in the config file.
 --port-file : once listening, write the first listener's port to this file
               (removed again on a clean shutdown).
 --version : print the version and exit.

Each listening address is printed on stdout, one line each, before anything else
("127.0.0.1:41234", "[::1]:1883", or a unix socket path).

See the tsbroker(8) and tsbroker.conf(5) man pages for more information.
`

const last = <T>(v: T | T[]): T => (Array.isArray(v) ? v[v.length - 1]! : v)

function port(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`Invalid port specified (${v}).`)
  return Number(v)
}

export function parseBrokerArgs(argv: readonly string[]): BrokerArgs {
  let failure: Error | undefined
  let parsed: Record<string, unknown> = {}
  yargs()
    .scriptName('tsbroker')
    .parserConfiguration({ 'greedy-arrays': false, 'boolean-negation': false })
    .strict()
    .help(false)
    .version(false)
    .option('c', { alias: 'config-file', type: 'string', requiresArg: true })
    .option('p', { alias: 'port', type: 'string', array: true, requiresArg: true })
    .option('v', { alias: 'verbose', type: 'boolean' })
    .option('d', { alias: 'daemon', type: 'boolean' })
    .option('h', { alias: 'help', type: 'boolean' })
    .option('version', { type: 'boolean' })
    .option('port-file', { type: 'string', requiresArg: true })
    .fail((msg, err) => { failure = err ?? new Error(msg) })
    .exitProcess(false)
    .parse([...argv], {}, (err, args) => {
      if (err) failure ??= err
      parsed = args as Record<string, unknown>
    })
  if (failure) throw new UsageError(rewordYargs(failure.message, argv))
  const positional = (parsed._ as unknown[] | undefined) ?? []
  if (positional.length > 0) throw new UsageError(`Unknown option '${String(positional[0])}'.`)
  const str = (k: string) => (parsed[k] === undefined ? undefined : String(last(parsed[k] as string | string[])))
  const flag = (k: string) => (Array.isArray(parsed[k]) ? (parsed[k] as boolean[]).some(Boolean) : parsed[k] === true)
  let print: string | undefined
  if (flag('help')) print = USAGE
  else if (flag('version')) print = `tsbroker version ${packageVersion()}\n`
  return {
    configFile: str('c'),
    ports: ((parsed.p as string[] | undefined) ?? []).map(port),
    verbose: flag('v'),
    daemon: flag('d'),
    portFile: str('port-file'),
    print,
  }
}

/** yargs' messages, in mosquitto's shape where it has one. */
function rewordYargs(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message)
  if (unknown) {
    const name = unknown[1]!.split(', ')[0]!
    const typed = [`-${name}`, `--${name}`, name].find((t) => argv.some((a) => a === t || a.startsWith(`${t}=`)))
    return `Unknown option '${typed ?? name}'.`
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message)
  if (missing) {
    const name = missing[1]!
    const what = name === 'c' || name === 'config-file' ? 'config file' : name === 'p' || name === 'port' ? 'port' : 'file name'
    return `-${name.length === 1 ? '' : '-'}${name} argument given, but no ${what} specified.`
  }
  return message.replace(/\.?$/, '.')
}
