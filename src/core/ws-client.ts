// The client side of MQTT over WebSocket: the HTTP upgrade over an already open socket (TCP, TLS, or a
// SOCKS tunnel), so TLS and proxy errors are those of every other transport. Loaded only for ws:// and wss://.
import type { Duplex } from 'node:stream'
import type { Endpoint } from './endpoint.js'
import { AbortError, MqttError, networkErrorFrom } from './errors.js'
import { MAX_MQTT_PACKET, MQTT_SUBPROTOCOL, webSocketDuplex } from './websocket.js'

/** The WebSocket upgrade was refused or the server does not speak MQTT over WebSocket. Exit 1. */
export class WebSocketError extends MqttError {
  /** The HTTP status of a refused upgrade (404, 401, …); undefined for other handshake failures. */
  constructor(message: string, readonly status?: number) { super(message, 'ERR_WEBSOCKET') }
}

export interface WebSocketOptions {
  /** Extra headers for the upgrade request (e.g. Authorization). */
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** One line a user can act on, for each way the upgrade can fail. */
export function upgradeRefused(status: number, statusText: string | undefined, path: string): WebSocketError {
  const what = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`
  if (status === 404) return new WebSocketError(`WebSocket upgrade refused: ${what}. Check the path (${path}).`, status)
  if (status === 401 || status === 403 || status === 407) {
    return new WebSocketError(`WebSocket upgrade refused: ${what}. The server wants other credentials.`, status)
  }
  return new WebSocketError(`WebSocket upgrade refused: ${what}.`, status)
}

type WebSocketClass = typeof import('ws').WebSocket

/** Load `ws` before any socket is open: no I/O may run between the TLS handshake and the upgrade's listeners. */
export async function loadWebSocket(): Promise<WebSocketClass> {
  return (await import('ws')).WebSocket
}

export async function openWebSocket(WebSocket: WebSocketClass, endpoint: Endpoint, socket: Duplex, o: WebSocketOptions = {}): Promise<Duplex> {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host
  const url = `${endpoint.transport === 'wss' ? 'wss' : 'ws'}://${host}:${endpoint.port}${endpoint.path}`
  const ws = new WebSocket(url, [MQTT_SUBPROTOCOL], {
    createConnection: () => socket as never, // the socket is already connected (and TLS'd / tunnelled)
    perMessageDeflate: false,
    maxPayload: MAX_MQTT_PACKET,
    ...(o.headers ? { headers: o.headers } : {}),
  })
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      cleanup()
      ws.on('error', () => {}) // terminating a handshake emits one more error
      ws.terminate()
      socket.destroy()
      reject(e)
    }
    const onOpen = () => {
      cleanup()
      if (ws.protocol === MQTT_SUBPROTOCOL) return resolve()
      fail(new WebSocketError(`The server did not select the "${MQTT_SUBPROTOCOL}" WebSocket subprotocol.`))
    }
    const onResponse = (_req: unknown, res: { statusCode?: number; statusMessage?: string }) =>
      fail(upgradeRefused(res.statusCode ?? 0, res.statusMessage, endpoint.path))
    const onError = (e: Error) => fail(/subprotocol/i.test(e.message)
      ? new WebSocketError(`The server did not select the "${MQTT_SUBPROTOCOL}" WebSocket subprotocol.`)
      : e instanceof MqttError ? e : /Unexpected server response|Invalid|Sec-WebSocket/.test(e.message)
        ? new WebSocketError(`WebSocket handshake failed: ${e.message}.`)
        : networkErrorFrom(e))
    const onAbort = () => fail(new AbortError())
    const cleanup = () => {
      ws.off('open', onOpen).off('unexpected-response', onResponse).off('error', onError)
      o.signal?.removeEventListener('abort', onAbort)
    }
    ws.once('open', onOpen).once('unexpected-response', onResponse).once('error', onError)
    o.signal?.addEventListener('abort', onAbort, { once: true })
  })
  return webSocketDuplex(ws)
}
