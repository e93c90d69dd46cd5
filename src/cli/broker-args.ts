// tsbroker's command line: mosquitto's -c/-d/-p/-v, plus --port-file.
import { UsageError } from '../core/errors.js'
import { packageVersion } from '../version.js'
import { completionScript, isShell, unknownShell, type CompletionFlag, type CompletionSpec } from './completion/index.js'

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
 --completion : print a bash, zsh or fish completion script and exit.

Each listening address is printed on stdout, one line each, before anything else
("127.0.0.1:41234", "[::1]:1883", or a unix socket path).

See the tsbroker(8) and tsbroker.conf(5) man pages for more information.
`

function port(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`Invalid port specified (${v}).`)
  return Number(v)
}

type Flag = 'config' | 'port' | 'verbose' | 'daemon' | 'help' | 'version' | 'portFile' | 'completion'
interface FlagSpec {
  readonly names: readonly string[]
  readonly key: Flag
  /** Value-taking flags: the words of mosquitto's "no … specified" error, and what completes the value. */
  readonly needs?: string
  readonly value?: CompletionFlag['value']
  readonly help: string
}
/** Each flag once: the parser and the completion scripts read this table. */
export const FLAG_SPECS: readonly FlagSpec[] = [
  { names: ['-c', '--config-file'], key: 'config', needs: 'config file', value: 'file', help: 'the broker config file' },
  { names: ['-d', '--daemon'], key: 'daemon', help: 'run in the background after starting' },
  { names: ['-h', '--help'], key: 'help', help: 'display this help' },
  { names: ['-p', '--port'], key: 'port', needs: 'port', value: 'text', help: 'listen on this port on 127.0.0.1' },
  { names: ['-v', '--verbose'], key: 'verbose', help: 'enable all logging types' },
  { names: ['--port-file'], key: 'portFile', needs: 'file name', value: 'file', help: 'write the first listener port to this file' },
  { names: ['--version'], key: 'version', help: 'print the version and exit' },
  { names: ['--completion'], key: 'completion', needs: 'shell', value: ['bash', 'zsh', 'fish'], help: 'print a completion script for this shell' },
]
const FLAGS: ReadonlyMap<string, FlagSpec> = new Map(FLAG_SPECS.flatMap((f) => f.names.map((n) => [n, f] as const)))

export function brokerCompletionSpec(): CompletionSpec {
  return {
    tool: 'tsbroker',
    version: packageVersion(),
    flags: FLAG_SPECS.map((f) => ({
      names: f.names, help: f.help,
      ...(f.value !== undefined ? { value: f.value, valueName: f.needs!.replace(' ', '_') } : {}),
    })),
  }
}

/**
 * mosquitto's argument model: a flag's value is the next word whatever it looks like, a repeated -c wins
 * last, -p may repeat; `--flag=value` is accepted for the long flags. (Eight flags do not need yargs, and
 * leaving it out saves the broker ~4 MB of memory and ~20 ms of start-up.)
 */
export function parseBrokerArgs(argv: readonly string[]): BrokerArgs {
  const out: BrokerArgs = { configFile: undefined, ports: [], verbose: false, daemon: false, portFile: undefined, print: undefined }
  let help = false
  let version = false
  let completion: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!
    const eq = word.startsWith('--') ? word.indexOf('=') : -1
    const name = eq > 0 ? word.slice(0, eq) : word
    const flag = FLAGS.get(name)
    if (!flag) throw new UsageError(`Unknown option '${name}'.`)
    const { key, needs } = flag
    let value: string | undefined
    if (needs !== undefined) {
      value = eq > 0 ? word.slice(eq + 1) : argv[++i]
      if (value === undefined) throw new UsageError(`${name} argument given, but no ${needs} specified.`)
    } else if (eq > 0) throw new UsageError(`Unknown option '${word}'.`)
    switch (key) {
      case 'config': out.configFile = value; break
      case 'port': out.ports.push(port(value!)); break
      case 'portFile': out.portFile = value; break
      case 'verbose': out.verbose = true; break
      case 'daemon': out.daemon = true; break
      case 'help': help = true; break
      case 'version': version = true; break
      case 'completion':
        if (!isShell(value!)) throw new UsageError(unknownShell(value!))
        completion = completionScript(brokerCompletionSpec(), value)
        break
    }
  }
  if (completion !== undefined) out.print = completion
  else if (help) out.print = USAGE
  else if (version) out.print = `tsbroker version ${packageVersion()}\n`
  return out
}
