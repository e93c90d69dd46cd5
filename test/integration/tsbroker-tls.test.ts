// A TLS listener from mosquitto.conf (certfile/keyfile/cafile/require_certificate), with throwaway
// certificates made by openssl for this test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { freePort } from '../helpers/mosquitto.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

const haveOpenssl = spawnSync('openssl', ['version']).status === 0

function makeCerts(dir: string) {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
  }
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.crt'])
  for (const name of ['server', 'client']) {
    const cn = name === 'server' ? '127.0.0.1' : 'client'
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`])
    writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n')
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`])
  }
}

test('TLS listener with require_certificate: a client with a CA-signed certificate gets in, one without does not', { skip: haveOpenssl ? false : 'openssl not installed' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-tls-'))
  makeCerts(dir)
  const conf = join(dir, 'm.conf')
  // -p listeners are plain TCP, so the TLS listener is the config's own, on a free port.
  const port = await freePort()
  writeFileSync(conf, [
    `port ${port}`, 'bind_address 127.0.0.1', 'allow_anonymous true',
    `certfile ${join(dir, 'server.crt')}`, `keyfile ${join(dir, 'server.key')}`, `cafile ${join(dir, 'ca.crt')}`,
    'require_certificate true',
  ].join('\n') + '\n')
  const b = await spawnTsbroker(t, ['-c', conf])
  assert.equal(b.addresses[0], `127.0.0.1:${port}`)
  const ca = readFileSync(join(dir, 'ca.crt'))
  const ok = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
    ca, cert: readFileSync(join(dir, 'client.crt')), key: readFileSync(join(dir, 'client.key')), reconnectPeriod: 0, connectTimeout: 5000,
  })
  await ok.endAsync()
  await assert.rejects(mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, { ca, reconnectPeriod: 0, connectTimeout: 3000 }))
})
