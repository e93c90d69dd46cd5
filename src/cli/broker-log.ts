// tsbroker's log lines: mosquitto's shape `1795464896: <text>` (epoch seconds, log_timestamp), filtered by
// log_type (-v: everything) and written to each log_dest (stderr by default, stdout, or a file).
// log_dest syslog: Node.js cannot open the Unix datagram socket /dev/log (journald, rsyslog) without a native
// module, so tsbroker says so once on stderr and logs to stderr instead (under systemd, stderr is the journal).
import { createWriteStream, openSync, type WriteStream } from 'node:fs'
import type { BrokerConfig } from '../broker/config/index.js'
import type { LogLevel } from '../broker/options.js'
import { ConfigError } from '../broker/config/index.js'
import type { Io } from './io.js'

export const ALL_LEVELS: readonly LogLevel[] = ['error', 'warning', 'notice', 'information', 'debug', 'subscribe', 'unsubscribe']

export interface BrokerLog {
  /** The levels to pass to the broker (it skips formatting the others). */
  readonly levels: readonly LogLevel[]
  write(level: LogLevel, line: string): void
  /** stdout carries the listening addresses first; log lines meant for stdout wait until then. */
  releaseStdout(): void
  close(): Promise<void>
}

export function createBrokerLog(config: BrokerConfig, verbose: boolean, io: Io, now: () => number = Date.now): BrokerLog {
  const levels = verbose ? ALL_LEVELS : ALL_LEVELS.filter((l) => config.logTypes.has(l))
  const wanted = new Set(levels)
  const files: WriteStream[] = []
  let stdoutHeld: string[] | undefined = []
  const dests = config.logDest.filter((d) => d.kind !== 'syslog')
  if (dests.length < config.logDest.length) {
    io.stderr.write('Warning: log_dest syslog is not supported by tsbroker (Node.js cannot write to the /dev/log datagram socket); logging to stderr instead.\n')
    if (!dests.some((d) => d.kind === 'stderr')) dests.push({ kind: 'stderr' })
  }
  // stderr is written synchronously on Linux: the lines of one event-loop turn go out as one write
  // (a busy broker logs two lines per connection; a write each was ~8% of accepting one).
  let pending = ''
  const flushStderr = () => { const t = pending; pending = ''; io.stderr.write(t) }
  const sinks: Array<(text: string) => void> = dests.map((d) => {
    switch (d.kind) {
      case 'stderr': return (t) => { if (pending === '') process.nextTick(flushStderr); pending += t }
      case 'stdout': return (t) => { if (stdoutHeld) stdoutHeld.push(t); else io.stdout.write(t) }
      case 'file': {
        let fd: number
        try {
          fd = openSync(d.path, 'a')
        } catch {
          throw new ConfigError(`Unable to open log file ${d.path} for writing.`)
        }
        const ws = createWriteStream('', { fd })
        files.push(ws)
        return (t) => { ws.write(t) }
      }
      default: return () => {}
    }
  })
  return {
    levels,
    write(level, line) {
      if (!wanted.has(level)) return
      const text = config.logTimestamp ? `${Math.floor(now() / 1000)}: ${line}\n` : `${line}\n`
      for (const s of sinks) s(text)
    },
    releaseStdout() {
      const held = stdoutHeld ?? []
      stdoutHeld = undefined
      for (const t of held) io.stdout.write(t)
    },
    async close() {
      if (pending !== '') flushStderr()
      await Promise.all(files.map((f) => new Promise<void>((r) => f.end(r))))
    },
  }
}
