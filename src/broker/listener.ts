// TCP and unix-socket listeners feeding accepted sockets into Broker.handle().
import net from 'node:net'
import { networkErrorFrom } from '../core/errors.js'

export interface TcpListenSpec { port: number; host?: string }
export interface UnixListenSpec { path: string }
export type ListenSpec = TcpListenSpec | UnixListenSpec

export interface TcpAddress { kind: 'tcp'; host: string; port: number }
export interface UnixAddress { kind: 'unix'; path: string }
export type ListenerAddress = TcpAddress | UnixAddress

export interface ListenerMeta { remoteAddress: string; listener: string }

/** Listen; `accept` gets each socket (no-delay already set on TCP) and its log metadata. */
export async function openListener(
  spec: ListenSpec, accept: (socket: net.Socket, meta: ListenerMeta) => void,
): Promise<{ server: net.Server; address: ListenerAddress }> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => reject(networkErrorFrom(err)) // e.g. NetworkError 'Address already in use', errno as cause
    server.once('error', fail)
    const done = () => { server.off('error', fail); resolve() }
    if ('path' in spec) server.listen(spec.path, done)
    else if (spec.host !== undefined) server.listen(spec.port, spec.host, done)
    else server.listen(spec.port, done) // all interfaces, as mosquitto's `listener <port>`
  })
  let address: ListenerAddress
  const a = server.address()
  if ('path' in spec || typeof a === 'string' || a === null) address = { kind: 'unix', path: 'path' in spec ? spec.path : String(a) }
  else address = { kind: 'tcp', host: a.address, port: a.port }
  const listener = address.kind === 'tcp' ? String(address.port) : '0'
  server.on('connection', (socket) => {
    if (address.kind === 'tcp') socket.setNoDelay(true) // small packets out at once: no Nagle + delayed-ACK stalls
    const remoteAddress = socket.remoteAddress !== undefined ? `${socket.remoteAddress}:${socket.remotePort}` : address.kind === 'unix' ? address.path : 'unknown'
    accept(socket, { remoteAddress, listener })
  })
  return { server, address }
}
