// Start the real Debian mosquitto broker on a free loopback port for a test; stopped by PID afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
/** Anything that can register a cleanup: a TestContext, or a suite-level registrar. */
export interface Cleanup { after(fn: () => unknown): void }

export const MOSQUITTO = '/usr/sbin/mosquitto'

/** Skip reason when mosquitto is missing; in CI the interop tests must run, so there it throws instead. */
export function mosquittoMissing(): string | false {
  const have = existsSync(MOSQUITTO) && spawnSync('which', ['mosquitto_pub']).status === 0
  if (have) return false
  if (process.env.CI) throw new Error('mosquitto and mosquitto-clients must be installed in CI (apt-get install mosquitto mosquitto-clients)')
  return 'mosquitto not installed'
}

/** A free TCP port on 127.0.0.1 (mosquitto cannot bind port 0 itself). */
export async function freePort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as net.AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true) })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`mosquitto did not listen on ${port} within ${deadlineMs} ms`)
}

export interface RunningMosquitto {
  port: number; pid: number; dir: string; log: () => string
  /** SIGTERM (mosquitto saves its persistence file), resolved once it has exited. */
  stop(): Promise<void>
}

/**
 * Start mosquitto with `listener PORT 127.0.0.1`, `allow_anonymous true` and any extra lines. `port`: that one
 * (a restart on the same port), else a free one; `dir`: its directory (conf and persistence) for a restart.
 */
export async function startMosquitto(t: Cleanup, extraConf: string[] = [], opts: { anonymous?: boolean; port?: number; dir?: string } = {}): Promise<RunningMosquitto> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tsmqtt-mosq-'))
  let lastErr: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? await freePort()
    const conf = join(dir, 'mosquitto.conf')
    const lines = [`listener ${port} 127.0.0.1`, `allow_anonymous ${opts.anonymous === false ? 'false' : 'true'}`, ...extraConf]
    if (process.getuid?.() === 0) lines.push('user root')
    writeFileSync(conf, lines.join('\n') + '\n')
    const logs: Buffer[] = []
    const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.on('data', (c: Buffer) => logs.push(c))
    child.stderr!.on('data', (c: Buffer) => logs.push(c))
    try {
      await waitForPort(port, child, 5000)
    } catch (e) {
      lastErr = e
      child.kill('SIGKILL')
      continue
    }
    const stop = () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 2000).unref()
    })
    t.after(stop)
    return { port, pid: child.pid!, dir, log: () => Buffer.concat(logs).toString(), stop }
  }
  throw lastErr
}
