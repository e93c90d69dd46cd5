// MQTT over WebSocket listeners (mosquitto's `protocol websockets`), plain or TLS. Any path is accepted, as
// mosquitto does; the subprotocol must be "mqtt" (or "mqttv3.1"). Loaded only when such a listener is opened.
import type http from 'node:http'
import type net from 'node:net'
import type { TLSSocket } from 'node:tls'
import { networkErrorFrom } from '../../core/errors.js'
import { MAX_MQTT_PACKET, selectSubprotocol, webSocketDuplex } from '../../core/websocket.js'
import { ListenerSockets } from './connections.js'
import { ListenerError, certificateUsername, tlsOptions } from './tls-material.js'
import type { Listener, ListenerAddress, ListenerContext, WsListenSpec, WssListenSpec } from './types.js'

export async function webSocketListener(spec: WsListenSpec | WssListenSpec, ctx: ListenerContext): Promise<Listener> {
  const { WebSocketServer } = await import('ws')
  let server: http.Server
  try {
    server = spec.tls ? (await import('node:https')).createServer(tlsOptions(spec.tls)) : (await import('node:http')).createServer()
  } catch (e) {
    if (e instanceof ListenerError) throw e
    throw new ListenerError(`Unable to use the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}.`)
  }
  const sockets = new ListenerSockets(spec.maxConnections, (l) => ctx.log(l))
  let id = spec.id ?? String(spec.port)
  server.on('connection', (socket: net.Socket) => { if (sockets.admit(socket)) socket.setNoDelay(true) })
  // A plain HTTP request (no upgrade) gets a short answer rather than hanging.
  server.on('request', (_req, res) => { res.writeHead(426, { Connection: 'close' }).end('MQTT over WebSocket only\n') })
  if (spec.tls) {
    server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      ctx.log(`Client connection from ${socket.remoteAddress ?? 'unknown'} failed: ${err.message}.`)
    })
  }
  const wss = new WebSocketServer({ server, maxPayload: MAX_MQTT_PACKET, perMessageDeflate: false, handleProtocols: selectSubprotocol })
  wss.on('connection', (ws, req) => {
    const socket = req.socket
    const stream = webSocketDuplex(ws)
    // Once the broker has ended the connection while we close, the socket need not wait for the close handshake.
    stream.once('close', () => { if (sockets.closing) socket.destroy() })
    ctx.accept({
      stream,
      remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
      listener: id,
      ...(spec.tls?.useIdentityAsUsername ? { certificateUsername: certificateUsername(socket as TLSSocket) } : {}),
    })
  })
  wss.on('error', () => {}) // errors of the HTTP server are reported below
  let address: ListenerAddress | undefined

  return {
    get id() { return id },
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) => reject(networkErrorFrom(e)))
        server.listen({ port: spec.port, ...(spec.host !== undefined ? { host: spec.host } : {}), ipv6Only: spec.ipv6Only === true }, resolve)
      })
      server.on('error', (e) => ctx.log(`Listener error: ${e.message}`))
      const a = server.address() as net.AddressInfo
      if (spec.id === undefined && spec.port === 0) id = String(a.port)
      ctx.log(`Opening websockets listen socket on port ${a.port}.`)
      address = { kind: 'tcp', type: spec.tls ? 'wss' : 'ws', host: a.address, port: a.port, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4', id }
      return address
    },
    address() {
      if (!address) throw new ListenerError('The listener is not listening.')
      return address
    },
    close() {
      sockets.close()
      wss.close()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
