// Spawn mosquitto_pub / mosquitto_sub against an in-process broker: argv arrays, killed by PID.
import { spawn, type ChildProcess } from 'node:child_process'
import type { TestContext } from 'node:test'

export interface Tool {
  readonly child: ChildProcess
  /** Settles on 'close': the exit code, once stdout and stderr have been read to the end. */
  readonly exited: Promise<number | null>
  stdout(): string
  /** Resolves once stdout contains `text`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>
  /** Send a signal if the process still runs; a child that is already gone is not an error (no ESRCH). */
  kill(signal: NodeJS.Signals): void
}

export function runTool(t: TestContext, cmd: string, args: string[], timeoutMs = 10_000): Tool {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  const listeners = new Set<() => void>()
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); for (const l of listeners) l() })
  child.stderr!.on('data', (c: Buffer) => { err += c.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => { for (const l of listeners) l(); resolve(code) }))
  // ChildProcess.kill, not process.kill(pid): it does nothing for a child that has exited (process.kill
  // throws ESRCH there) and can never hit another process that was given the same pid.
  const kill = (signal: NodeJS.Signals) => { if (child.exitCode === null && child.signalCode === null) child.kill(signal) }
  const killer = setTimeout(() => kill('SIGKILL'), timeoutMs)
  t.after(async () => {
    clearTimeout(killer)
    kill('SIGKILL')
    await exited
  })
  return {
    child,
    exited,
    kill,
    stdout: () => out,
    waitFor(text, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`${cmd}: no "${text}" within ${ms} ms; stdout=${out} stderr=${err}`)) }, ms)
        const check = () => {
          if (out.includes(text)) { clearTimeout(timer); listeners.delete(check); resolve() }
          else if (child.exitCode !== null) { clearTimeout(timer); listeners.delete(check); reject(new Error(`${cmd} exited ${child.exitCode}: ${out} ${err}`)) }
        }
        listeners.add(check)
        check()
      })
    },
  }
}
