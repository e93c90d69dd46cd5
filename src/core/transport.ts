// Open the byte stream a connection runs over: TCP, a Unix socket, or TLS (loaded only when asked for).
import net from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import { AbortError, TlsError, networkErrorFrom } from './errors.js'
import type { SocksProxy } from './socks.js'

export interface TransportOptions {
  host: string
  port: number
  unixPath?: string
  /** -A: bind the local end to this address. */
  bindAddress?: string
  noDelay?: boolean
  /** Present = TLS over TCP. */
  tls?: ConnectionOptions
  /** --proxy: tunnel through this SOCKS5 proxy. */
  proxy?: SocksProxy
  signal?: AbortSignal
}

export async function openStream(o: TransportOptions): Promise<Duplex> {
  if (o.signal?.aborted) throw new AbortError()
  if (o.proxy) return openViaProxy(o, o.proxy)
  if (o.tls) return openTls(o, o.tls)
  const socket = o.unixPath !== undefined
    ? net.connect({ path: o.unixPath })
    : net.connect({ host: o.host, port: o.port, ...(o.bindAddress ? { localAddress: o.bindAddress } : {}) })
  await settle(socket, 'connect', o.signal, (e) => networkErrorFrom(e))
  if (o.noDelay) socket.setNoDelay(true)
  return socket
}

/** TCP to the proxy, SOCKS5 handshake, then MQTT (or TLS, then MQTT) through the tunnel. */
async function openViaProxy(o: TransportOptions, proxy: SocksProxy): Promise<Duplex> {
  const socket = net.connect({ host: proxy.host, port: proxy.port, ...(o.bindAddress ? { localAddress: o.bindAddress } : {}) })
  await settle(socket, 'connect', o.signal, (e) => networkErrorFrom(e))
  const { socksHandshake } = await import('./socks.js')
  try {
    await socksHandshake(socket, proxy, o.host, o.port)
  } catch (e) {
    socket.destroy()
    throw e
  }
  if (o.noDelay) socket.setNoDelay(true)
  return o.tls ? openTls(o, o.tls, socket) : socket
}

async function openTls(o: TransportOptions, tlsOptions: ConnectionOptions, over?: net.Socket): Promise<Duplex> {
  const tls = await import('node:tls')
  const socket = tls.connect({
    host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host,
    ...(over ? { socket: over } : {}),
    ...(o.bindAddress && !over ? { localAddress: o.bindAddress } : {}), ...tlsOptions,
  })
  // Once TCP is up, any failure before the handshake completes is a TLS failure (mosquitto: exit 8),
  // e.g. a reset from a plain MQTT port that got our ClientHello; before that it is a network error.
  let tcpUp = over !== undefined
  socket.once('connect', () => { tcpUp = true })
  await settle(socket, 'secureConnect', o.signal, (e) =>
    tcpUp ? new TlsError('A TLS error occurred.', { cause: e }) : networkErrorFrom(e))
  if (o.noDelay) socket.setNoDelay(true)
  return socket
}

function settle(socket: net.Socket, event: string, signal: AbortSignal | undefined, mapError: (e: Error) => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      socket.off(event, onOk).off('error', onErr)
      signal?.removeEventListener('abort', onAbort)
    }
    const onOk = () => { cleanup(); resolve() }
    const onErr = (e: Error) => { cleanup(); socket.destroy(); reject(mapError(e)) }
    const onAbort = () => { cleanup(); socket.destroy(); reject(new AbortError()) }
    socket.once(event, onOk).once('error', onErr)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
