// TCP, TLS and Unix-socket listeners: each accepted socket (after the TLS handshake) is one MQTT connection.
import net from 'node:net'
import type tls from 'node:tls'
import { networkErrorFrom } from '../../core/errors.js'
import { ListenerSockets } from './connections.js'
import { ListenerError, certificateUsername, tlsOptions } from './tls-material.js'
import type {
  Listener, ListenerAddress, ListenerContext, ListenerType, TcpAddress, TlsListenSpec, TcpListenSpec, UnixListenSpec,
} from './types.js'

type SocketSpec = TcpListenSpec | TlsListenSpec | UnixListenSpec

export async function socketListener(spec: SocketSpec, ctx: ListenerContext): Promise<Listener> {
  const secure = spec.type === 'tls' ? spec : undefined
  let server: net.Server
  if (secure) {
    const { createServer } = await import('node:tls')
    const options = tlsOptions(secure.tls)
    try {
      server = createServer(options)
    } catch (e) {
      throw new ListenerError(`Unable to use the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}.`)
    }
  } else {
    server = net.createServer()
  }
  return new SocketListener(spec, server, ctx, secure?.tls.useIdentityAsUsername === true)
}

class SocketListener implements Listener {
  #id: string
  #address: ListenerAddress | undefined
  readonly #sockets: ListenerSockets

  constructor(private readonly spec: SocketSpec, private readonly server: net.Server, private readonly ctx: ListenerContext,
    private readonly identity: boolean) {
    this.#id = spec.id ?? ('path' in spec ? spec.path : String(spec.port))
    this.#sockets = new ListenerSockets(spec.maxConnections, (l) => ctx.log(l))
    server.on('connection', (socket: net.Socket) => {
      if (!this.#sockets.admit(socket)) return
      if (spec.type !== 'tls') this.#accept(socket)
    })
    if (spec.type === 'tls') {
      server.on('secureConnection', (socket: tls.TLSSocket) => this.#accept(socket))
      server.on('tlsClientError', (err: Error, socket: tls.TLSSocket) => {
        ctx.log(`Client connection from ${socket.remoteAddress ?? 'unknown'} failed: ${err.message}.`)
      })
    }
  }

  get id(): string { return this.#id }

  async listen(): Promise<ListenerAddress> {
    const s = this.spec
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (e) => reject(networkErrorFrom(e)))
      if ('path' in s) {
        this.ctx.log(`Opening unix listen socket on path ${s.path}.`)
        this.server.listen(s.path, resolve)
      } else {
        this.server.listen({ port: s.port, ...(s.host !== undefined ? { host: s.host } : {}), ipv6Only: s.ipv6Only === true }, resolve)
      }
    })
    this.server.on('error', (e) => this.ctx.log(`Listener error: ${e.message}`))
    const a = this.server.address()
    if ('path' in s || a === null || typeof a === 'string') {
      this.#address = { kind: 'unix', type: 'unix', path: 'path' in s ? s.path : String(a), id: this.#id }
    } else {
      const family = a.family === 'IPv6' ? 'IPv6' : 'IPv4'
      if (s.id === undefined && s.port === 0) this.#id = String(a.port) // `-p 0`: the port it got
      this.ctx.log(`Opening ${family === 'IPv6' ? 'ipv6' : 'ipv4'} listen socket on port ${a.port}.`)
      const address: TcpAddress = { kind: 'tcp', type: (s.type ?? 'tcp') as Exclude<ListenerType, 'unix'>, host: a.address, port: a.port, family, id: this.#id }
      this.#address = address
    }
    return this.#address
  }

  address(): ListenerAddress {
    if (!this.#address) throw new ListenerError('The listener is not listening.')
    return this.#address
  }

  close(): Promise<void> {
    this.#sockets.close()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  #accept(socket: net.Socket): void {
    if ('path' in this.spec) {
      this.ctx.accept({ stream: socket, remoteAddress: this.spec.path, listener: this.#id })
      return
    }
    socket.setNoDelay(true) // small packets out at once: no Nagle + delayed-ACK stalls
    this.ctx.accept({
      stream: socket,
      remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
      listener: this.#id,
      ...(this.identity ? { certificateUsername: certificateUsername(socket as tls.TLSSocket) } : {}),
    })
  }
}
