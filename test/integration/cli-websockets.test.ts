// tspub / tssub over WebSocket: -L ws[s]://, --ws, TLS flags on wss://, a SOCKS tunnel, and the one-line
// errors (with their exit codes) for an upgrade that is refused, a server without the mqtt subprotocol, a
// TLS failure and a proxy that refuses.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type net from 'node:net'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { startBroker, until } from '../helpers/broker-start.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'
import { runCli } from '../helpers/run-cli.js'
import { startSocksServer } from '../helpers/socks-server.js'

/** An HTTP server on a free loopback port; `setup` shapes how it answers upgrades. */
async function httpServer(t: TestContext, setup: (s: http.Server) => void): Promise<number> {
  const server = http.createServer()
  const sockets = new Set<net.Socket>()
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  setup(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()) }))
  return (server.address() as net.AddressInfo).port
}

const refuseUpgrade = (status: number, text: string) => (s: http.Server) =>
  s.on('upgrade', (_req, socket) => { socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`) })

for (const [status, text, line] of [
  [404, 'Not Found', 'Error: WebSocket upgrade refused: HTTP 404 Not Found. Check the path (/mqtt).\n'],
  [401, 'Unauthorized', 'Error: WebSocket upgrade refused: HTTP 401 Unauthorized. The server wants other credentials.\n'],
] as const) {
  test(`an upgrade answered with HTTP ${status} exits 1 with one line`, async (t) => {
    const port = await httpServer(t, refuseUpgrade(status, text))
    const r = await runCli('tspub', ['-L', `ws://127.0.0.1:${port}/t`, '-m', 'x'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, line)
  })
}

test('a WebSocket server that does not select the mqtt subprotocol exits 1 with one line', async (t) => {
  const port = await httpServer(t, (server) => {
    const wss = new WebSocketServer({ server, handleProtocols: () => false })
    wss.on('connection', (ws) => ws.on('error', () => {}))
  })
  const r = await runCli('tssub', ['--ws', '-h', '127.0.0.1', '-p', String(port), '-t', 't'])
  assert.equal(r.code, 1)
  assert.equal(r.stderr, 'Error: The server did not select the "mqtt" WebSocket subprotocol.\n')
})

test('tspub -L ws:// and tssub --ws carry messages through an in-process WebSocket listener', async (t) => {
  const { broker } = await startBroker(t)
  const ws = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })
  const sub = runCli('tssub', ['--ws', '-h', '127.0.0.1', '-p', String(ws.port), '-t', 'ws/#', '-C', '1', '-v', '-q', '1'], { timeoutMs: 8000 })
  await until(() => broker.stats.subscriptionsCount > 0, 5000, 'the subscriber')
  const pub = await runCli('tspub', ['-L', `ws://127.0.0.1:${ws.port}/ws/topic/with/levels`, '-q', '1', '-m', 'hello ws'])
  assert.equal(pub.code, 0, pub.stderr)
  const r = await sub
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.toString(), 'ws/topic/with/levels hello ws\n')
})

test('the SOCKS5 proxy carries a WebSocket connection; a proxy that refuses exits 1 with one line', async (t) => {
  const { broker } = await startBroker(t)
  const ws = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })
  const proxy = await startSocksServer(t, { username: 'u', password: 'p' })
  const ok = await runCli('tspub', ['--proxy', `socks5h://u:p@127.0.0.1:${proxy.port}`, '-L', `ws://localhost:${ws.port}/t`, '-m', 'x'])
  assert.equal(ok.code, 0, ok.stderr)
  assert.deepEqual(proxy.requests, [{ host: 'localhost', port: ws.port }])
  const bad = await runCli('tspub', ['--proxy', `socks5h://u:wrong@127.0.0.1:${proxy.port}`, '-L', `ws://localhost:${ws.port}/t`, '-m', 'x'])
  assert.equal(bad.code, 1)
  assert.equal(bad.stderr, 'Error: Proxy error: authentication failed.\n')
})

test('wss://: the TLS flags apply as for mqtts://, and a TLS failure exits 8', { skip: haveOpenssl ? false : 'openssl not installed' }, async (t) => {
  const dir = makeCerts()
  const { broker } = await startBroker(t)
  const tls = { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt'), requireCertificate: true }
  const wss = await broker.listen({ type: 'wss', port: 0, host: '127.0.0.1', tls })
  const plain = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })
  const certs = ['--cafile', join(dir, 'ca.crt'), '--cert', join(dir, 'client.crt'), '--key', join(dir, 'client.key')]
  const ok = await runCli('tspub', ['-L', `wss://127.0.0.1:${wss.port}/t`, ...certs, '-m', 'x', '-d'])
  assert.equal(ok.code, 0, ok.stderr)
  assert.match(ok.stderr, /sending CONNECT/)
  const viaWs = await runCli('tspub', ['--ws', '-h', '127.0.0.1', '-p', String(wss.port), ...certs, '-t', 't', '-m', 'x'])
  assert.equal(viaWs.code, 0, viaWs.stderr)
  for (const argv of [
    ['-L', `wss://127.0.0.1:${wss.port}/t`, '--cafile', join(dir, 'ca.crt'), '-m', 'x'], // no client certificate
    ['-L', `wss://127.0.0.1:${plain.port}/t`, ...certs, '-m', 'x'], // TLS to a plain WebSocket port
  ]) {
    const r = await runCli('tspub', argv)
    assert.equal(r.code, 8, r.stderr)
    assert.equal(r.stderr, 'Error: A TLS error occurred.\n')
  }
})
