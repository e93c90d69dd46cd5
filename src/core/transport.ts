// Open the byte stream a connection runs over, by the endpoint's transport: TCP, a Unix socket, TLS, or MQTT
// over WebSocket (plain or TLS), each optionally through a SOCKS5 proxy. Every layer is built on the one
// below it (TCP or tunnel → TLS → WebSocket), so TLS and proxy failures mean the same for every scheme.
// TLS, SOCKS and WebSocket code is loaded only when asked for: the plain MQTT path stays lean.
import net from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import type { Endpoint } from './endpoint.js'
import { AbortError, TlsError, networkErrorFrom } from './errors.js'
import type { SocksProxy } from './socks.js'

export interface TransportOptions {
  /** -A: bind the local end to this address. */
  bindAddress?: string
  noDelay?: boolean
  /** TLS settings for mqtts:// and wss:// (CA, client certificate, versions, …). */
  tls?: ConnectionOptions
  /** --proxy: tunnel through this SOCKS5 proxy. */
  proxy?: SocksProxy
  /** ws/wss: extra headers for the upgrade request. */
  wsHeaders?: Record<string, string>
  signal?: AbortSignal
}

/** Opens the stream of one connection attempt; the client's connection loop calls it for every attempt. */
export type TransportFactory = (signal: AbortSignal | undefined) => Promise<Duplex>

export async function openTransport(e: Endpoint, o: TransportOptions = {}): Promise<Duplex> {
  if (o.signal?.aborted) throw new AbortError()
  if (e.transport === 'unix') {
    const socket = net.connect({ path: e.path })
    await settle(socket, 'connect', o.signal, (err) => networkErrorFrom(err))
    return socket
  }
  // Every layer's code is loaded before the socket opens: once it is open, nothing may wait for I/O while no
  // listener would see its errors (a TLS 1.3 alert can arrive right after the handshake).
  const secure = e.transport === 'tls' || e.transport === 'wss' ? await import('node:tls') : undefined
  const socks = o.proxy ? await import('./socks.js') : undefined
  const ws = e.transport === 'ws' || e.transport === 'wss'
    ? await import('./ws-client.js').then(async (m) => ({ open: m.openWebSocket, WebSocket: await m.loadWebSocket() }))
    : undefined
  let socket = await openTcp(o.proxy?.host ?? e.host, o.proxy?.port ?? e.port, o)
  if (o.proxy && socks) await tunnel(socket, socks, o.proxy, e)
  if (secure) socket = await openTls(secure, e.host, o.tls ?? {}, socket, o.signal)
  if (!ws) return socket
  return ws.open(ws.WebSocket, e, socket, { ...(o.wsHeaders ? { headers: o.wsHeaders } : {}), ...(o.signal ? { signal: o.signal } : {}) })
}

async function openTcp(host: string, port: number, o: TransportOptions): Promise<net.Socket> {
  const socket = net.connect({ host, port, ...(o.bindAddress ? { localAddress: o.bindAddress } : {}) })
  await settle(socket, 'connect', o.signal, (err) => networkErrorFrom(err))
  if (o.noDelay) socket.setNoDelay(true)
  return socket
}

/** The SOCKS5 handshake on a socket to the proxy; the socket is then a tunnel to the broker. */
async function tunnel(socket: net.Socket, socks: typeof import('./socks.js'), proxy: SocksProxy, e: Endpoint): Promise<void> {
  try {
    await socks.socksHandshake(socket, proxy, e.host, e.port)
  } catch (err) {
    socket.destroy()
    throw err
  }
}

/**
 * TLS over a connected socket. Any failure before the handshake completes is a TLS failure (mosquitto: exit 8),
 * e.g. a reset from a plain MQTT port that got our ClientHello.
 */
async function openTls(tls: typeof import('node:tls'), host: string, tlsOptions: ConnectionOptions, over: net.Socket, signal: AbortSignal | undefined): Promise<net.Socket> {
  const socket = tls.connect({ host, servername: net.isIP(host) ? undefined : host, socket: over, ...tlsOptions })
  await settle(socket, 'secureConnect', signal, (err) => new TlsError('A TLS error occurred.', { cause: err }))
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
