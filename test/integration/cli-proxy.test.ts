// --proxy socks5h://: tspub/tssub reach the broker through a SOCKS5 proxy, which resolves the host name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runCli } from '../helpers/run-cli.js'
import { startFakeBroker } from '../helpers/fake-broker.js'
import { startSocksServer } from '../helpers/socks-server.js'
import { connectRequest } from '../../src/core/socks.js'

test('a publish goes through the SOCKS5 proxy, which is asked for the host name (socks5h)', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0 })
  const proxy = await startSocksServer(t)
  const r = await runCli('tspub', ['-h', 'localhost', '-p', String(fake.port), '--proxy', `socks5h://127.0.0.1:${proxy.port}`, '-t', 'a', '-m', 'via proxy'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(proxy.requests, [{ host: 'localhost', port: fake.port }])
  const pub = fake.received.find((p) => p.cmd === 'publish')
  assert.ok(pub?.cmd === 'publish')
  assert.equal(Buffer.from(pub.payload as Buffer).toString(), 'via proxy')
})

test('proxy user and password are sent (RFC 1929); a wrong password fails with exit 1 and one line', async (t) => {
  const fake = await startFakeBroker(t, { connack: 0 })
  const proxy = await startSocksServer(t, { username: 'pu', password: 'pp' })
  const ok = await runCli('tspub', ['-h', '127.0.0.1', '-p', String(fake.port), '--proxy', `socks5h://pu:pp@127.0.0.1:${proxy.port}`, '-t', 'a', '-m', 'x'])
  assert.equal(ok.code, 0, ok.stderr)
  const bad = await runCli('tssub', ['-h', '127.0.0.1', '-p', String(fake.port), '--proxy', `socks5h://pu:wrong@127.0.0.1:${proxy.port}`, '-t', 'a'])
  assert.equal(bad.code, 1)
  assert.equal(bad.stderr, 'Error: Proxy error: authentication failed.\n')
  assert.deepEqual(proxy.authUsers, ['pu', 'pu'])
})

test('the CONNECT request encodes IPv4, IPv6 and names as RFC 1928 says', () => {
  assert.deepEqual([...connectRequest('127.0.0.1', 1883)], [5, 1, 0, 1, 127, 0, 0, 1, 7, 91])
  assert.deepEqual([...connectRequest('::1', 1)].slice(3, 4), [4])
  assert.deepEqual([...connectRequest('::1', 1)].slice(4, 20), [...Array(15).fill(0), 1])
  assert.deepEqual([...connectRequest('ab', 2)], [5, 1, 0, 3, 2, 97, 98, 0, 2])
})
