// tsbroker bridges against the real Debian mosquitto 2.0, both ways: the real bin/tsbroker.js reading a
// mosquitto.conf bridge block as it is (in, out, both, prefixes, no loops, MQTT 5), a mosquitto restart while
// QoS 1 messages flow, mosquitto bridging INTO tsbroker (its try_private connection), and a TLS bridge with a
// throwaway CA. Waits are for messages (bounded), never sleeps.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { client, clientWithInbox, Inbox, until } from '../helpers/broker-start.js'
import { stateIs, subscriber } from '../helpers/bridges.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { spawnTsbroker, type SpawnedBroker } from '../helpers/tsbroker.js'

const skip = mosquittoMissing()

/** bin/tsbroker.js -p 0 -c <file with these lines>. */
async function tsbroker(t: TestContext, lines: string[]): Promise<SpawnedBroker & { url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-bridge-conf-'))
  const conf = join(dir, 'tsbroker.conf')
  writeFileSync(conf, lines.join('\n') + '\n')
  const b = await spawnTsbroker(t, ['-p', '0', '-c', conf])
  return Object.assign(b, { url: `mqtt://127.0.0.1:${b.port}` })
}

const texts = async (inbox: Inbox, n: number) => {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const m = await inbox.next(10_000)
    out.push(`${m.topic} ${m.payload}`)
  }
  return out
}

for (const version of ['mqttv311', 'mqttv50'] as const) {
  test(`tsbroker bridged to mosquitto (${version}): out, in and both with mosquitto's prefixes, nothing comes back`, { skip }, async (t) => {
    const m = await startMosquitto(t)
    const ts = await tsbroker(t, [
      'connection cloud', `address 127.0.0.1:${m.port}`, 'remote_clientid site1', `bridge_protocol_version ${version}`, 'restart_timeout 1',
      'topic sensors/# out 1 "" site1/', 'topic cmd/# in 1 "" site1/', 'topic chat/# both 1',
    ])
    const mosq = `mqtt://127.0.0.1:${m.port}`
    await stateIs(t, mosq, '1', '$SYS/broker/connection/site1/state')
    await stateIs(t, ts.url, '1', '$SYS/broker/connection/site1/state')
    if (version === 'mqttv311') assert.match(m.log(), /New bridge connected from 127\.0\.0\.1:\d+ as site1 \(p2, c0, k60\)\./)
    const onM = await subscriber(t, mosq, ['site1/#', 'chat/#'])
    const onT = await subscriber(t, ts.url, ['cmd/#', 'chat/#', 'sensors/#'])
    const pubT = await client(t, ts.url)
    const pubM = await client(t, mosq)
    await pubT.publishAsync('sensors/t1', '21.5', { qos: 1 })
    await pubT.publishAsync('chat/ts', 'hello from tsbroker', { qos: 1 })
    assert.deepEqual(await texts(onM, 2), ['site1/sensors/t1 21.5', 'chat/ts hello from tsbroker'])
    assert.deepEqual(await texts(onT, 2), ['sensors/t1 21.5', 'chat/ts hello from tsbroker']) // its own, once
    await pubM.publishAsync('site1/cmd/reboot', 'now', { qos: 1 })
    await pubM.publishAsync('chat/m', 'hello from mosquitto', { qos: 1 })
    assert.deepEqual(await texts(onT, 2), ['cmd/reboot now', 'chat/m hello from mosquitto'])
    await pubT.publishAsync('chat/end', 'end', { qos: 1 })
    // an echo of chat/m would have come back to mosquitto before chat/end
    assert.deepEqual(await texts(onM, 3), ['site1/cmd/reboot now', 'chat/m hello from mosquitto', 'chat/end end'])
  })
}

test('mosquitto restarted while QoS 1 messages flow through the bridge: every message arrives once it is back', { skip }, async (t) => {
  const mdir = mkdtempSync(join(tmpdir(), 'tsmqtt-mosq-persist-'))
  const persist = ['persistence true', `persistence_location ${mdir}/`]
  let m = await startMosquitto(t, persist, { dir: mdir })
  const port = m.port
  const ts = await tsbroker(t, ['connection cloud', `address 127.0.0.1:${port}`, 'remote_clientid site1', 'restart_timeout 1', 'topic q/# out 1'])
  const mosq = `mqtt://127.0.0.1:${port}`
  await stateIs(t, mosq, '1', '$SYS/broker/connection/site1/state')
  const first = clientWithInbox(t, mosq, { clientId: 'keeper', clean: false })
  await first.connack
  await first.client.subscribeAsync('q/#', { qos: 1 })
  const pub = await client(t, ts.url)
  const sent = Array.from({ length: 40 }, (_, i) => `m${i + 1}`)
  const publishing = (async () => { for (const p of sent) await pub.publishAsync('q/x', p, { qos: 1 }) })()
  await until(() => first.inbox.messages.length >= 10, 10_000, 'ten messages through')
  await m.stop() // SIGTERM: mosquitto saves the keeper's session; the bridge loses its connection mid-flow
  m = await startMosquitto(t, persist, { port, dir: mdir })
  await publishing
  const again = clientWithInbox(t, mosq, { clientId: 'keeper', clean: false })
  const seen: string[] = []
  for (const x of first.inbox.messages) if (!seen.includes(x.payload.toString())) seen.push(x.payload.toString())
  for (let i = 0; seen.length < sent.length && i < 120; i++) { // QoS 1: a resend may arrive twice
    const p = (await again.inbox.next(15_000)).payload.toString()
    if (!seen.includes(p)) seen.push(p)
  }
  assert.deepEqual(seen, sent)
})

test('mosquitto bridging INTO tsbroker: its try_private connection is accepted as a bridge; both ways, no loops', { skip }, async (t) => {
  const ts = await tsbroker(t, ['log_type all'])
  const m = await startMosquitto(t, ['connection ts', `address 127.0.0.1:${ts.port}`, 'remote_clientid mosq-edge', 'restart_timeout 1', 'topic # both 1'])
  await stateIs(t, ts.url, '1', '$SYS/broker/connection/mosq-edge/state') // published by mosquitto's bridge into tsbroker
  assert.match(ts.stderr(), /New bridge connected from 127\.0\.0\.1:\d+ as mosq-edge \(p2, c0, k60\)\./)
  const mosq = `mqtt://127.0.0.1:${m.port}`
  const onT = await subscriber(t, ts.url, 'x/#')
  const onM = await subscriber(t, mosq, 'x/#')
  const pubT = await client(t, ts.url)
  const pubM = await client(t, mosq)
  await pubM.publishAsync('x/m', 'from mosquitto', { qos: 1, retain: true })
  assert.deepEqual(await texts(onT, 1), ['x/m from mosquitto'])
  await pubT.publishAsync('x/t', 'from tsbroker', { qos: 1 })
  assert.deepEqual(await texts(onM, 2), ['x/m from mosquitto', 'x/t from tsbroker']) // x/m not echoed back
  await pubM.publishAsync('x/end', 'end', { qos: 1 })
  assert.deepEqual(await texts(onT, 2), ['x/t from tsbroker', 'x/end end']) // x/t not echoed back
  const later = await subscriber(t, ts.url, 'x/m')
  const kept = await later.next(10_000)
  assert.deepEqual([kept.payload.toString(), kept.packet.retain], ['from mosquitto', true], 'the retain flag crossed: retain as published')
})

test('a TLS bridge to mosquitto with a throwaway CA and a client certificate; a bridge trusting another CA does not connect', { skip: skip || (haveOpenssl ? false : 'openssl not installed') }, async (t) => {
  const certs = makeCerts()
  const other = makeCerts()
  const f = (n: string) => join(certs, n)
  const plain = await startMosquitto(t)
  const tlsPort = plain.port + 1 === 65536 ? plain.port - 1 : plain.port + 1
  await startMosquitto(t, [`listener ${tlsPort} 127.0.0.1`, `cafile ${f('ca.crt')}`, `certfile ${f('server.crt')}`, `keyfile ${f('server.key')}`, 'require_certificate true'])
  const ts = await tsbroker(t, [
    'connection secure', `address 127.0.0.1:${tlsPort}`, 'remote_clientid tls-site', 'restart_timeout 1', 'topic t/# out 1',
    `bridge_cafile ${f('ca.crt')}`, `bridge_certfile ${f('client.crt')}`, `bridge_keyfile ${f('client.key')}`, 'bridge_tls_version tlsv1.2',
    'connection wrong-ca', `address 127.0.0.1:${tlsPort}`, 'remote_clientid other', 'restart_timeout 1', 'topic u/# out 1',
    `bridge_cafile ${join(other, 'ca.crt')}`,
  ])
  const tls = { ca: f('ca.crt'), cert: f('client.crt'), key: f('client.key') }
  const { readFileSync } = await import('node:fs')
  const watcher = await client(t, `mqtts://127.0.0.1:${tlsPort}`, { ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key) })
  const inbox = new Inbox(watcher)
  await watcher.subscribeAsync(['t/#', '$SYS/broker/connection/tls-site/state'], { qos: 1 })
  for (let i = 0; i < 5 && (await inbox.next(10_000)).payload.toString() !== '1'; i++);
  await (await client(t, ts.url)).publishAsync('t/x', 'over TLS', { qos: 1 })
  assert.equal((await inbox.next(10_000)).payload.toString(), 'over TLS')
  await until(() => /Error creating bridge: A TLS error occurred\./.test(ts.stderr()), 10_000, 'the wrong-CA bridge to fail')
})
