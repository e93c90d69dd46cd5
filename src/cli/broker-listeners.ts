// tsbroker's part of the listeners: map each mosquitto.conf listener onto a spec of the broker library's
// listen(), and say where it listens the way scripts read it. The sockets themselves are the library's.
import type { Broker } from '../broker/broker.js'
import { ConfigError, type ListenerConfig } from '../broker/config/index.js'
import { ListenerError, type ListenSpec, type ListenerAddress, type TlsMaterial } from '../broker/listeners/index.js'

export function listenSpec(li: ListenerConfig): ListenSpec {
  const common = {
    ...(li.maxConnections >= 0 ? { maxConnections: li.maxConnections } : {}),
    // per_listener_settings tells listeners apart by their configured port (the bound one for `-p 0`).
    ...(li.port !== 0 ? { id: String(li.port) } : {}),
  }
  if (li.path !== undefined) {
    if (li.protocol === 'websockets') throw new ConfigError('Websockets listeners cannot use a unix socket.', li.source)
    return { type: 'unix', path: li.path, ...common }
  }
  const host = li.host ?? (li.socketDomain === 'ipv4' ? '0.0.0.0' : li.socketDomain === 'ipv6' ? '::' : undefined)
  const at = { port: li.port, ...(host !== undefined ? { host } : {}), ...(li.socketDomain === 'ipv6' ? { ipv6Only: true } : {}), ...common }
  const tls = tlsMaterial(li)
  if (li.protocol === 'websockets') return tls ? { type: 'wss', tls, ...at } : { type: 'ws', ...at }
  return tls ? { type: 'tls', tls, ...at } : { type: 'tcp', ...at }
}

function tlsMaterial(li: ListenerConfig): TlsMaterial | undefined {
  if (li.certfile === undefined || li.keyfile === undefined) return undefined
  return {
    cert: li.certfile, key: li.keyfile,
    ...(li.cafile !== undefined ? { ca: li.cafile } : {}),
    ...(li.capath !== undefined ? { caPath: li.capath } : {}),
    requireCertificate: li.requireCertificate,
    useIdentityAsUsername: li.useIdentityAsUsername,
    ...(li.tlsVersion !== undefined ? { version: li.tlsVersion } : {}),
    ...(li.ciphers !== undefined ? { ciphers: li.ciphers } : {}),
  }
}

/** Open every listener in order; a listener that cannot be opened names its configuration line. */
export async function openListeners(broker: Broker, list: readonly ListenerConfig[]): Promise<ListenerAddress[]> {
  const out: ListenerAddress[] = []
  for (const li of list) {
    try {
      out.push(await broker.listen(listenSpec(li)))
    } catch (e) {
      if (e instanceof ListenerError) throw new ConfigError(e.message, li.source)
      throw e
    }
  }
  return out
}

/** What tsbroker prints on stdout: `127.0.0.1:41234`, `[::1]:1883`, or the socket path. */
export function displayAddress(a: ListenerAddress): string {
  if (a.kind === 'unix') return a.path
  return a.family === 'IPv6' ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`
}
