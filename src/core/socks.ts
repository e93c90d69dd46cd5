// SOCKS5 (RFC 1928, user/password RFC 1929) client handshake for --proxy socks5h://: the proxy resolves
// the broker's host name (the "h"), then the socket becomes a plain tunnel.
import net from 'node:net'
import { MqttError } from './errors.js'

export interface SocksProxy { host: string; port: number; username?: string; password?: string }

export class ProxyError extends MqttError {
  constructor(message: string) { super(message, 'ERR_PROXY') }
}

const REPLIES: Readonly<Record<number, string>> = {
  1: 'general SOCKS server failure', 2: 'connection not allowed by ruleset', 3: 'network unreachable',
  4: 'host unreachable', 5: 'connection refused', 6: 'TTL expired', 7: 'command not supported',
  8: 'address type not supported',
}

/** Build the CONNECT request for host:port (IPv4/IPv6 literals as addresses, names for the proxy to resolve). */
export function connectRequest(host: string, port: number): Buffer {
  let addr: Buffer
  if (net.isIPv4(host)) addr = Buffer.from([1, ...host.split('.').map(Number)])
  else if (net.isIPv6(host)) addr = Buffer.concat([Buffer.from([4]), ipv6Bytes(host)])
  else {
    const name = Buffer.from(host)
    if (name.length > 255) throw new ProxyError('Proxy error: host name too long.')
    addr = Buffer.concat([Buffer.from([3, name.length]), name])
  }
  return Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])])
}

function ipv6Bytes(host: string): Buffer {
  const [head = '', tail = ''] = host.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = host.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h
  const b = Buffer.alloc(16)
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2))
  return b
}

/** Run the handshake on a connected socket to the proxy; resolves once the tunnel to host:port is open. */
export async function socksHandshake(socket: net.Socket, proxy: SocksProxy, host: string, port: number): Promise<void> {
  const reader = new ByteReader(socket)
  try {
    const auth = proxy.username !== undefined
    socket.write(Buffer.from(auth ? [5, 2, 0, 2] : [5, 1, 0]))
    const [version, method] = await reader.read(2)
    if (version !== 5) throw new ProxyError('Proxy error: not a SOCKS5 proxy.')
    if (method === 2 && auth) {
      const u = Buffer.from(proxy.username ?? '')
      const p = Buffer.from(proxy.password ?? '')
      socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]))
      const [, status] = await reader.read(2)
      if (status !== 0) throw new ProxyError('Proxy error: authentication failed.')
    } else if (method !== 0) {
      throw new ProxyError('Proxy error: no acceptable authentication method.')
    }
    socket.write(connectRequest(host, port))
    const [, rep, , atyp] = await reader.read(4)
    if (rep !== 0) throw new ProxyError(`Proxy error: ${REPLIES[rep!] ?? `reply ${rep}`}.`)
    const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : (await reader.read(1))[0]!
    await reader.read(addrLen + 2)
  } finally {
    reader.release()
  }
}

/** Reads exact byte counts from a socket, then hands any extra bytes back to the stream. */
class ByteReader {
  #buf = Buffer.alloc(0)
  #want = 0
  #waiter: { resolve(b: Buffer): void; reject(e: Error): void } | undefined
  readonly #onData = (c: Buffer) => { this.#buf = Buffer.concat([this.#buf, c]); this.#pump() }
  readonly #onEnd = () => this.#waiter?.reject(new ProxyError('Proxy error: the proxy closed the connection.'))

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.#onData).on('close', this.#onEnd).on('error', this.#onEnd)
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#want = n
      this.#waiter = { resolve, reject }
      this.#pump()
    })
  }

  release(): void {
    this.socket.off('data', this.#onData).off('close', this.#onEnd).off('error', this.#onEnd)
    if (this.#buf.length) this.socket.unshift(this.#buf)
  }

  #pump(): void {
    if (!this.#waiter || this.#buf.length < this.#want) return
    const out = this.#buf.subarray(0, this.#want)
    this.#buf = this.#buf.subarray(this.#want)
    const w = this.#waiter
    this.#waiter = undefined
    w.resolve(out)
  }
}
