// Run a command on a real terminal: util-linux `script` gives it a pseudo-terminal (its stdin, stdout,
// stderr and controlling terminal), forwards what we write as typed keys and hands back what the terminal
// showed (with the terminal's \r\n line ends). For prompts, echo and colour as a person at a terminal sees them.
import { spawn, spawnSync } from 'node:child_process'
import type { TestContext } from 'node:test'

export const haveScript = spawnSync('sh', ['-c', 'command -v script']).status === 0

export interface PtyRun {
  /** Everything the terminal showed so far. */
  screen(): string
  /** Resolves once the screen shows `text` (rejects after `timeoutMs`, or if the command exits first). */
  waitFor(text: string, timeoutMs?: number): Promise<void>
  /** Type these keys. */
  type(keys: string): void
  readonly exited: Promise<number | null>
}

/** `command` is a /bin/sh command line (redirections allowed); killed after the test if still running. */
export function runInPty(t: TestContext, command: string, o: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): PtyRun {
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { ...o.env, SHELL: '/bin/sh' }, cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'],
  })
  let screen = ''
  const listeners = new Set<() => void>()
  child.stdout.on('data', (c: Buffer) => { screen += c.toString(); for (const l of listeners) l() })
  child.stderr.on('data', (c: Buffer) => { screen += c.toString(); for (const l of listeners) l() })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => { for (const l of listeners) l(); resolve(code) }))
  const killer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 15_000)
  t.after(async () => {
    clearTimeout(killer)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  return {
    screen: () => screen,
    type: (keys) => { child.stdin.write(keys) },
    exited,
    waitFor(text, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`no ${JSON.stringify(text)} within ${ms} ms; screen: ${JSON.stringify(screen)}`)) }, ms)
        const check = () => {
          if (screen.includes(text)) { clearTimeout(timer); listeners.delete(check); resolve() }
          else if (child.exitCode !== null) { clearTimeout(timer); listeners.delete(check); reject(new Error(`exited ${child.exitCode}; screen: ${JSON.stringify(screen)}`)) }
        }
        listeners.add(check)
        check()
      })
    },
  }
}
