// A TLS listener from mosquitto.conf (certfile/keyfile/cafile/require_certificate), with throwaway
// certificates made by openssl for this test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { freePort } from '../helpers/mosquitto.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'

test('TLS listener with require_certificate: a client with a CA-signed certificate gets in, one without does not', { skip: haveOpenssl ? false : 'openssl not installed' }, async (t) => {
  const dir = makeCerts()
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
