// `protocol websockets` listeners: MQTT over WebSocket (subprotocol "mqtt", also "mqttv3.1"), plain or TLS.
// Loaded only when a config asks for one, so plain MQTT listeners never load `ws`.
// Why `ws`: the WebSocket handshake, framing, masking and close codes are a protocol of their own; ws is
// the maintained implementation MQTT.js also uses, and createWebSocketStream gives the broker a Duplex.
import http from 'node:http'
import https from 'node:https'
import type net from 'node:net'
import type { Duplex } from 'node:stream'
import type { TlsOptions } from 'node:tls'

/** Largest MQTT packet: 268,435,455 bytes of remaining length plus a 5-byte fixed header. */
const MAX_MQTT_PACKET = 268_435_455 + 5

export interface WebSocketServerOptions {
  tls?: TlsOptions
  /** Called for each accepted WebSocket with a byte stream and the peer's address. */
  onStream(stream: Duplex, remoteAddress: string, socket: net.Socket): void
}

export async function createWebSocketServer(o: WebSocketServerOptions): Promise<net.Server> {
  const { WebSocketServer, createWebSocketStream } = await import('ws')
  const server = o.tls ? https.createServer(o.tls) : http.createServer()
  // A plain HTTP request (no upgrade) gets a short answer rather than hanging.
  server.on('request', (_req, res) => { res.writeHead(426, { Connection: 'close' }).end('MQTT over WebSocket only\n') })
  const wss = new WebSocketServer({
    server,
    maxPayload: MAX_MQTT_PACKET,
    // [MQTT-6.0.0-3]: the subprotocol is "mqtt" (MQTT 3.1 clients may ask for "mqttv3.1").
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  })
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws)
    stream.on('error', () => stream.destroy())
    const socket = req.socket
    o.onStream(stream, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, socket)
  })
  server.once('close', () => wss.close())
  return server
}
