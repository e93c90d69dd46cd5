// Where a client connects, and the one place a broker URL's scheme picks the transport:
// mqtt:// (tcp://) TCP, mqtts:// (ssl://, tls://) TLS, ws:// and wss:// MQTT over WebSocket, unix:// a Unix socket.
import { MqttError } from './errors.js'
import { maskUrlPassword } from './mask.js'

export type Transport = 'tcp' | 'tls' | 'ws' | 'wss' | 'unix'

export interface Endpoint {
  readonly transport: Transport
  /** Host name or address (IPv6 without brackets); '' for a Unix socket. */
  readonly host: string
  /** 0 for a Unix socket. */
  readonly port: number
  /** ws/wss: the HTTP path of the upgrade request (default /mqtt); unix: the socket path. */
  readonly path: string
  /** From the URL's user information, percent-decoded. */
  readonly username?: string
  readonly password?: string
}

/** The path MQTT.js, mosquitto and most brokers serve MQTT over WebSocket on. */
export const DEFAULT_WS_PATH = '/mqtt'

const SCHEMES: Readonly<Record<string, { transport: Transport; port: number }>> = {
  'mqtt:': { transport: 'tcp', port: 1883 },
  'tcp:': { transport: 'tcp', port: 1883 },
  'mqtts:': { transport: 'tls', port: 8883 },
  'ssl:': { transport: 'tls', port: 8883 },
  'tls:': { transport: 'tls', port: 8883 },
  // The WHATWG defaults for ws/wss (as MQTT.js); tspub -L ws:// uses mosquitto 2.1's 1883/8883 instead.
  'ws:': { transport: 'ws', port: 80 },
  'wss:': { transport: 'wss', port: 443 },
  'unix:': { transport: 'unix', port: 0 },
}

export class InvalidUrlError extends MqttError {
  constructor(message: string) { super(message, 'ERR_INVALID_URL') }
}

/** `mqtt://user:pass@host:1883`, `wss://host/path`, `unix:///run/mqtt.sock`, `mqtt://[::1]:1883`. */
export function parseBrokerUrl(url: string): Endpoint {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new InvalidUrlError(`Invalid broker URL "${maskUrlPassword(url)}".`)
  }
  const scheme = SCHEMES[u.protocol.toLowerCase()]
  if (!scheme) throw new InvalidUrlError(`Unsupported URL scheme "${u.protocol.replace(/:$/, '')}" (use mqtt, mqtts, ws, wss or unix).`)
  const credentials = {
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
  }
  if (scheme.transport === 'unix') {
    const path = decodeURIComponent(u.host !== '' ? `/${u.host}${u.pathname}` : u.pathname)
    if (path === '' || path === '/') throw new InvalidUrlError(`No socket path in "${maskUrlPassword(url)}" (unix:///path/to/socket).`)
    return { transport: 'unix', host: '', port: 0, path, ...credentials }
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new InvalidUrlError(`No host in "${maskUrlPassword(url)}".`)
  const port = u.port === '' ? scheme.port : Number(u.port)
  const ws = scheme.transport === 'ws' || scheme.transport === 'wss'
  const path = ws ? (u.pathname === '' || u.pathname === '/' ? DEFAULT_WS_PATH : u.pathname) + u.search : ''
  return { transport: scheme.transport, host, port, path, ...credentials }
}
