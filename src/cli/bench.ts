// tsbench — measure a broker with one command: N publishers and M subscribers on their own connections
// (the project's client, every transport and TLS option of tspub/tssub), then a summary of counts,
// throughput and end-to-end latency; or, with --check, what the broker supports.
import { clientCommand } from './client-command.js'
import { resolveConnection } from './client-options.js'
import { Exit } from './exit-codes.js'
import { processIo, writeAll, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import type { StderrLog } from './stderr-log.js'
import { runCheck } from './bench/check.js'
import { checkText } from './bench/check-report.js'
import { progressLine } from './bench/progress.js'
import { systemBenchClock } from './bench/publish-loop.js'
import { runBench } from './bench/run-bench.js'
import { summaryText } from './bench/summary.js'

export const benchCommand = clientCommand('bench', benchMain)

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(benchCommand, argv, io)
}

async function benchMain(c: ClientConfig, io: Io, signal: AbortSignal, log: StderrLog): Promise<number> {
  const { endpoint, options } = await resolveConnection(c, io, signal, log.debug)
  const b = c.bench!
  if (b.check) {
    const report = await runCheck(endpoint, options, systemBenchClock)
    await writeAll(io.stdout, c.json ? `${JSON.stringify(report)}\n` : checkText(report))
    return Exit.ok
  }
  // Workers rebuild the options from the command line: hand them the password already resolved.
  const workerConfig: ClientConfig = options.password !== undefined
    ? { ...c, password: options.password.toString(), passwordSource: { kind: 'argv' } }
    : c
  const tty = io.stderr.isTTY === true
  const run = runBench({
    config: c, workerConfig, endpoint, options, clock: systemBenchClock, signal,
    ...(tty ? { onProgress: (sent: number, received: number, ms: number) => { io.stderr.write(progressLine(sent, received, ms)) } } : {}),
  })
  // A signal after the connections are up stops the publishers early; the summary is still printed.
  const summary = await run.finally(() => { if (tty) io.stderr.write('\r\x1b[K') })
  await writeAll(io.stdout, c.json ? `${JSON.stringify(summary)}\n` : summaryText(summary))
  // A lost connection is a network failure (exit 1), whatever else the counts say.
  if (summary.connectionsLost > 0) return Exit.failure
  return summary.ok ? Exit.ok : Exit.benchLoss
}
