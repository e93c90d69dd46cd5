// tsbroker's sockets: one TCP, TLS or unix-socket server per configured listener, each handing its
// connections to broker.handle(). Servers live here (not in the broker library) so that TLS files,
// max_connections and the listener name for per_listener_settings are all decided in one place.
import { readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { basename, dirname, join } from 'node:path'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'
import { ConfigError, type ListenerConfig } from '../broker/config/index.js'
import { networkErrorFrom } from '../core/errors.js'

export interface ConnectionMeta { remoteAddress?: string; listener?: string }
export type HandleConnection = (stream: Duplex, meta: ConnectionMeta) => void
export type ListenerLog = (level: 'notice' | 'information' | 'debug', line: string) => void

export interface OpenListener {
  readonly config: ListenerConfig
  readonly server: net.Server
  /** What tsbroker prints on stdout: `127.0.0.1:41234`, `[::1]:1883`, or the socket path. */
  readonly display: string
  /** The bound port (undefined for a unix socket). */
  readonly port: number | undefined
  /** ClientInfo.listener: the configured port as a string (the bound port for `-p 0`), or the socket path. */
  readonly name: string
  /** Open connections, so shutdown can end any the broker left behind. */
  readonly sockets: Set<net.Socket>
}

export async function openListeners(list: readonly ListenerConfig[], handle: HandleConnection, log: ListenerLog): Promise<OpenListener[]> {
  const open: OpenListener[] = []
  try {
    for (const li of list) open.push(await openOne(li, handle, log))
  } catch (err) {
    await closeListeners(open)
    throw err
  }
  return open
}

async function openOne(li: ListenerConfig, handle: HandleConnection, log: ListenerLog): Promise<OpenListener> {
  const secure = li.certfile !== undefined
  const websockets = li.protocol === 'websockets'
  const sockets = new Set<net.Socket>()
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.setNoDelay(true)
  }
  let server: net.Server
  if (websockets) {
    if (li.path !== undefined) throw new ConfigError('Websockets listeners cannot use a unix socket.', li.source)
    const { createWebSocketServer } = await import('./broker-websockets.js')
    server = await createWebSocketServer({
      ...(secure ? { tls: tlsOptions(li) } : {}),
      onStream: (stream, remoteAddress) => handle(stream, { remoteAddress, listener: listenerName(li, server) }),
    })
    server.on('connection', track)
  } else {
    server = secure ? tls.createServer(tlsOptions(li)) : net.createServer()
    server.on(secure ? 'secureConnection' : 'connection', (socket: net.Socket) => {
      track(socket)
      const remoteAddress = li.path ? li.path : `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`
      handle(socket, { remoteAddress, listener: listenerName(li, server) })
    })
  }
  const name = li.path ?? String(li.port)
  if (secure) {
    server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
      log('notice', `Client connection from ${socket.remoteAddress ?? '?'} failed: ${err.message}.`)
    })
  }
  if (li.maxConnections >= 0) server.maxConnections = li.maxConnections
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(networkErrorFrom(err)))
    if (li.path !== undefined) {
      log('notice', `Opening unix listen socket on path ${li.path}.`)
      server.listen(li.path, resolve)
    } else {
      const host = li.host ?? (li.socketDomain === 'ipv4' ? '0.0.0.0' : li.socketDomain === 'ipv6' ? '::' : undefined)
      server.listen({ port: li.port, host, ipv6Only: li.socketDomain === 'ipv6' }, resolve)
    }
  })
  server.on('error', (err) => log('notice', `Listener error: ${err.message}`))
  const addr = server.address()
  if (addr !== null && typeof addr === 'object') {
    log('notice', `Opening ${websockets ? 'websockets' : addr.family === 'IPv6' ? 'ipv6' : 'ipv4'} listen socket on port ${addr.port}.`)
    const display = addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`
    return { config: li, server, display, port: addr.port, name: li.port === 0 ? String(addr.port) : name, sockets }
  }
  return { config: li, server, display: li.path ?? String(addr), port: undefined, name, sockets }
}

function listenerName(li: ListenerConfig, server: net.Server): string {
  if (li.path !== undefined) return li.path
  if (li.port !== 0) return String(li.port)
  const a = server.address()
  return a !== null && typeof a === 'object' ? String(a.port) : '0'
}

function tlsOptions(li: ListenerConfig): tls.TlsOptions {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path)
    } catch {
      throw new ConfigError(`Unable to load ${what} "${path}". Check ${what === 'server certificate' ? 'certfile' : what === 'server key' ? 'keyfile' : 'cafile'}.`, li.source)
    }
  }
  const ca: Buffer[] = []
  if (li.cafile) ca.push(read(li.cafile, 'CA certificates'))
  if (li.capath) {
    let names: string[] = []
    try {
      names = readdirSync(li.capath).filter((n) => /\.(pem|crt)$/.test(n)).sort()
    } catch {
      throw new ConfigError(`Unable to open capath "${li.capath}".`, li.source)
    }
    for (const n of names) ca.push(read(join(li.capath, n), 'CA certificates'))
  }
  return {
    cert: read(li.certfile!, 'server certificate'),
    key: read(li.keyfile!, 'server key'),
    ...(ca.length ? { ca } : {}),
    requestCert: li.requireCertificate,
    rejectUnauthorized: li.requireCertificate,
  }
}

/**
 * Stop accepting at once; the promise settles when every connection has ended too. Established
 * connections are the broker's to close (wills first); `destroyConnections` ends any left after that.
 */
export function stopAccepting(list: readonly OpenListener[]): Promise<void> {
  return Promise.all(list.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve())))).then(() => {})
}

export function destroyConnections(list: readonly OpenListener[]): void {
  for (const l of list) for (const s of l.sockets) s.destroy()
}

async function closeListeners(list: readonly OpenListener[]): Promise<void> {
  const closed = stopAccepting(list)
  destroyConnections(list)
  await closed
}

/** Write `text` to `path` atomically (temp file in the same directory, then rename), so a reader never sees half a port. */
export function writeFileAtomicSync(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (err) {
    try { unlinkSync(tmp) } catch { /* already gone */ }
    throw new ConfigError(`Unable to write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`)
  }
}
