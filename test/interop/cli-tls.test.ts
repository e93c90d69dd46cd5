// tspub/tssub over TLS against the real mosquitto: --cafile, client certificates, and exit 8 on TLS failure.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { runCli } from '../helpers/run-cli.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'

const skip = mosquittoMissing() || (haveOpenssl ? false : 'openssl not installed')

test('TLS with --cafile and a client certificate; wrong CA or TLS against a plain port exits 8', { skip }, async (t) => {
  const dir = makeCerts()
  const f = (n: string) => join(dir, n)
  // A plain listener (from startMosquitto) plus a TLS one that requires a client certificate.
  const plain = await startMosquitto(t)
  const tlsPort = plain.port + 1 === 65536 ? plain.port - 1 : plain.port + 1
  const m = await startMosquitto(t, [
    `listener ${tlsPort} 127.0.0.1`, `cafile ${f('ca.crt')}`, `certfile ${f('server.crt')}`, `keyfile ${f('server.key')}`,
    'require_certificate true',
  ])
  void m
  const tls = ['-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', f('ca.crt'), '--cert', f('client.crt'), '--key', f('client.key')]
  assert.equal((await runCli('tspub', [...tls, '-r', '-q', '1', '-t', 'tls/t', '-m', 'secret'])).code, 0)
  const got = await runCli('tssub', [...tls, '-t', 'tls/t', '-C', '1', '-v'])
  assert.equal(got.code, 0, got.stderr)
  assert.equal(got.stdout.toString(), 'tls/t secret\n')

  const wrongCa = await runCli('tspub', ['-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', f('client.crt'), '-t', 'a', '-m', 'x'])
  assert.equal(wrongCa.code, 8)
  assert.equal(wrongCa.stderr, 'Error: A TLS error occurred.\n')
  const plainPort = await runCli('tspub', ['-h', '127.0.0.1', '-p', String(plain.port), '--cafile', f('ca.crt'), '-t', 'a', '-m', 'x'])
  assert.equal(plainPort.code, 8)
  assert.equal(plainPort.stderr, 'Error: A TLS error occurred.\n')
})
