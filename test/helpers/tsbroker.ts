// Spawn the real bin/tsbroker.js for a test and learn its address from the first stdout line (no log
// parsing, no port races). Stopped by PID after the test; its exit is observable.
import { spawn, type ChildProcess } from 'node:child_process'
import type { TestContext } from 'node:test'
import { binPath, cleanEnv, repoRoot } from './run-cli.js'

export interface SpawnedBroker {
  readonly child: ChildProcess
  readonly pid: number
  /** Every address line tsbroker printed (one per listener). */
  readonly addresses: string[]
  /** Port of the first listener. */
  readonly port: number
  stderr(): string
  stdout(): string
  /** Resolves with the exit once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Start tsbroker with `args` and wait until it has printed `listeners` address lines (bounded by
 * `timeoutMs`). Killed with SIGKILL after the test if still alive.
 */
export async function spawnTsbroker(t: TestContext, args: string[], o: { listeners?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SpawnedBroker> {
  const child = spawn(process.execPath, [binPath('tsbroker'), ...args], { env: o.env ?? cleanEnv(), cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr!.on('data', (c: Buffer) => { err += c.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  const want = o.listeners ?? 1
  const lines = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tsbroker printed no address within ${o.timeoutMs ?? 10_000} ms; stderr: ${err}`)), o.timeoutMs ?? 10_000)
    const check = () => {
      const ls = out.split('\n')
      if (ls.length > want) { clearTimeout(timer); resolve(ls.slice(0, want)) }
    }
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); check() })
    void exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`tsbroker exited (${code}) before listening; stderr: ${err}`)) })
  })
  const port = Number(/:(\d+)$/.exec(lines[0]!)?.[1])
  return { child, pid: child.pid!, addresses: lines, port, stderr: () => err, stdout: () => out, exited }
}
