// `tsbroker -d`: Node cannot fork, so the broker is started again as a detached child without -d. The
// parent relays the child's start-up output (addresses on stdout, log lines on stderr) until the child
// says it is listening, then returns 0 and leaves it running; if the child dies first, the parent exits 1.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { MqttError } from '../core/errors.js'
import type { Io } from './io.js'

/** Set in the child's environment; the child ends its stdout block with READY_MARK once listening. */
export const DAEMON_ENV = 'TSBROKER_DAEMON_CHILD'
export const READY_MARK = '\u0000tsbroker-ready\n'

declare const __TSMQTT_BUNDLED__: boolean | undefined
/** bin/tsbroker.js, seen from build/bin/tsbroker.js (the bundle) or from build/src/cli/ (the plain module). */
const BIN = fileURLToPath(new URL(typeof __TSMQTT_BUNDLED__ !== 'undefined' ? '../../bin/tsbroker.js' : '../../../bin/tsbroker.js', import.meta.url))
const START_TIMEOUT_MS = 30_000

export async function runDaemon(argv: readonly string[], io: Io): Promise<number> {
  const childArgs = argv.filter((a) => a !== '-d' && a !== '--daemon')
  const child = spawn(process.execPath, [BIN, ...childArgs], {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...io.env, [DAEMON_ENV]: '1' },
  })
  let out = ''
  let sawStderr = false
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS)
    child.stderr!.on('data', (c: Buffer) => { sawStderr = true; io.stderr.write(c) })
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const at = out.indexOf(READY_MARK)
      if (at >= 0) {
        clearTimeout(timer)
        io.stdout.write(out.slice(0, at))
        resolve(true)
      }
    })
    // 'close', not 'exit': the child's last stderr line has been relayed by then.
    child.once('close', () => { clearTimeout(timer); resolve(false) })
    child.once('error', () => { clearTimeout(timer); resolve(false) })
  })
  child.stdout!.destroy()
  child.stderr!.destroy()
  if (ready) {
    child.unref()
    return 0
  }
  if (child.exitCode === null) child.kill('SIGTERM')
  // The child already said what went wrong (one line, as any start-up error); otherwise we say it.
  if (!sawStderr) throw new MqttError('tsbroker did not start in the background.', 'ERR_DAEMON')
  return child.exitCode && child.exitCode > 0 ? child.exitCode : 1
}

/** In the detached child: once the parent has gone, writes to its old pipes must not crash the broker. */
export function daemonChild(io: Io): boolean {
  if (io.env[DAEMON_ENV] !== '1') return false
  io.stdout.on('error', () => {})
  io.stderr.on('error', () => {})
  return true
}
