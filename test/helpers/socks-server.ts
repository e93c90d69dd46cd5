// A minimal SOCKS5 server for tests: optional user/password, CONNECT only, records what it was asked.
import net from 'node:net'
import type { TestContext } from 'node:test'

export interface SocksServer { port: number; requests: { host: string; port: number }[]; authUsers: string[] }

export async function startSocksServer(t: TestContext, creds?: { username: string; password: string }): Promise<SocksServer> {
  const requests: SocksServer['requests'] = []
  const authUsers: string[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('error', () => {})
    let buf = Buffer.alloc(0)
    let stage: 'greet' | 'auth' | 'connect' | 'tunnel' = 'greet'
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c])
      if (stage === 'greet' && buf.length >= 2 && buf.length >= 2 + buf[1]!) {
        const methods = [...buf.subarray(2, 2 + buf[1]!)]
        buf = buf.subarray(2 + buf[1]!)
        if (creds && !methods.includes(2)) { client.end(Buffer.from([5, 0xff])); return }
        client.write(Buffer.from([5, creds ? 2 : 0]))
        stage = creds ? 'auth' : 'connect'
      }
      if (stage === 'auth' && buf.length >= 2) {
        const ulen = buf[1]!
        if (buf.length < 3 + ulen) return
        const plen = buf[2 + ulen]!
        if (buf.length < 3 + ulen + plen) return
        const user = buf.subarray(2, 2 + ulen).toString()
        const pass = buf.subarray(3 + ulen, 3 + ulen + plen).toString()
        buf = buf.subarray(3 + ulen + plen)
        authUsers.push(user)
        const ok = user === creds!.username && pass === creds!.password
        client.write(Buffer.from([1, ok ? 0 : 1]))
        if (!ok) { client.end(); return }
        stage = 'connect'
      }
      if (stage === 'connect' && buf.length >= 5) {
        const atyp = buf[3]!
        const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4]!
        if (buf.length < 4 + addrLen + 2) return
        const host = atyp === 1 ? [...buf.subarray(4, 8)].join('.') : atyp === 3 ? buf.subarray(5, 5 + buf[4]!).toString() : '::1'
        const port = buf.readUInt16BE(4 + addrLen)
        const rest = buf.subarray(4 + addrLen + 2)
        requests.push({ host, port })
        stage = 'tunnel'
        client.off('data', onData)
        const upstream = net.connect({ host: host === 'localhost' ? '127.0.0.1' : host, port }, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]))
          if (rest.length) upstream.write(rest)
          client.pipe(upstream).pipe(client)
        })
        sockets.add(upstream)
        upstream.on('error', () => { client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])) })
      }
    }
    client.on('data', onData)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()) }))
  return { port: (server.address() as net.AddressInfo).port, requests, authUsers }
}
