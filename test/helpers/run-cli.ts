// Spawn a real bin/ tool with a clean environment and collect its output. A tool still alive at the
// deadline is killed (by PID) and reported: a leaked handle is a bug, never papered over.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export type Tool = 'tspub' | 'tssub' | 'tsrr' | 'tspasswd' | 'tsbroker' | 'tsbench'

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string; timedOut: boolean }
export interface CliOptions {
  env?: NodeJS.ProcessEnv
  stdin?: string | Buffer
  timeoutMs?: number
  /** Called once the child is spawned (e.g. to send it a signal later). */
  onSpawn?: (pid: number) => void
  cwd?: string
  /** Start it in a session of its own, without a controlling terminal (as cron or CI run it). */
  detached?: boolean
}

/** The tools' compiled-code cache for this test process: shared by its runs, never the user's own. */
let cacheHome: string | undefined

/** An environment with no options file (empty XDG config dir) and no colour. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  cacheHome ??= mkdtempSync(join(tmpdir(), 'tsmqtt-cache-'))
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1',
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'tsmqtt-xdg-')), XDG_CACHE_HOME: cacheHome, ...extra,
  }
}

export function binPath(tool: Tool | string): string {
  return tool.startsWith('mosquitto') ? tool : join(repoRoot, 'bin', `${tool}.js`)
}

/** Run a tool (ours via node, or a mosquitto binary by name) to completion. */
export function runCli(tool: Tool | string, argv: string[], o: CliOptions = {}): Promise<CliResult> {
  const ours = !tool.startsWith('mosquitto')
  const cmd = ours ? process.execPath : tool
  const args = ours ? [binPath(tool), ...argv] : argv
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: o.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'], cwd: o.cwd ?? repoRoot, detached: o.detached ?? false })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timedOut = false
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.stdin.on('error', () => {})
    if (o.stdin !== undefined) child.stdin.end(o.stdin)
    else child.stdin.end()
    if (child.pid) o.onSpawn?.(child.pid)
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL') }, o.timeoutMs ?? 10_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), timedOut })
    })
  })
}
