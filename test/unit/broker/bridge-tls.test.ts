// The bridge's TLS directives → Node's tls.connect options (files read at start; mosquitto's meaning).
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { PeerCertificate } from 'node:tls'
import { BridgeConfigError } from '../../../src/broker/bridge/bridge-error.js'
import { bridgeTlsOptions } from '../../../src/broker/bridge/bridge-tls.js'

test('cafile, capath (*.pem and *.crt), certfile, keyfile, tls_version as the lowest version, alpn; the chain is always verified', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-bridge-tls-'))
  writeFileSync(join(dir, 'a.pem'), 'A')
  writeFileSync(join(dir, 'b.crt'), 'B')
  writeFileSync(join(dir, 'c.0'), 'not read')
  writeFileSync(join(dir, 'ca.crt'), 'CA')
  const o = bridgeTlsOptions({ ca: join(dir, 'ca.crt'), caPath: dir, cert: Buffer.from('C'), key: Buffer.from('K'), version: 'tlsv1.3', alpn: 'mqtt' }, 'edge')
  assert.deepEqual((o.ca as Buffer[]).map(String), ['CA', 'A', 'B', 'CA'])
  assert.deepEqual([String(o.cert), String(o.key), o.minVersion, o.ALPNProtocols, o.rejectUnauthorized], ['C', 'K', 'TLSv1.3', ['mqtt'], true])
  assert.equal(o.checkServerIdentity, undefined, 'the host name is checked')
  assert.equal(bridgeTlsOptions({}, 'edge').minVersion, 'TLSv1.2')
})

test('bridge_insecure: any host name is accepted (the chain still is not)', () => {
  const o = bridgeTlsOptions({ insecure: true }, 'edge')
  assert.equal(o.checkServerIdentity?.('elsewhere.example', {} as PeerCertificate), undefined)
  assert.equal(o.rejectUnauthorized, true)
})

test('a file that cannot be read is a BridgeConfigError naming the bridge and the directive', () => {
  assert.throws(() => bridgeTlsOptions({ ca: '/nonexistent/ca.crt' }, 'edge'),
    (e: unknown) => e instanceof BridgeConfigError && e.bridge === 'edge' && e.message === 'Unable to load bridge edge CA certificates. Check bridge_cafile "/nonexistent/ca.crt".')
})
