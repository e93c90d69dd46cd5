// createAuthHooks inside tsbroker's broker library: CONNACK refusals as mosquitto_pub/sub report them
// (5 for v3.1 / v3.1.1, 135 for v5), ACL-denied publishes dropped, delivery filtered by `read`, and
// per_listener_settings keyed by the listener's port.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { hashPassword } from '../../src/auth/hash.js'
import { createAuthHooks, type AuthSettings } from '../../src/broker/auth-hooks.js'
import { createBroker } from '../../src/broker/broker.js'
import type { BrokerHooks } from '../../src/broker/hooks.js'
import { mosquittoMissing } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'

const skipMosquitto = mosquittoMissing()

function workDir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-brokerauth-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

async function startBroker(t: TestContext, hooks: BrokerHooks): Promise<number> {
  const broker = createBroker({ hooks })
  t.after(() => broker.close())
  const addr = await broker.listen({ port: 0, host: '127.0.0.1' })
  return addr.port
}

async function files(t: TestContext, acl?: string): Promise<Pick<AuthSettings, 'passwordFile' | 'aclFile'>> {
  const d = workDir(t)
  const passwordFile = join(d, 'pw')
  writeFileSync(passwordFile, [
    `alice:${await hashPassword('s3cret')}`, // argon2id: the async verification path
    `bob:${await hashPassword('b0b', { type: 'sha512-pbkdf2', iterations: 1000 })}`,
  ].join('\n') + '\n')
  if (acl === undefined) return { passwordFile }
  const aclFile = join(d, 'acl')
  writeFileSync(aclFile, acl)
  return { passwordFile, aclFile }
}

const VERSIONS = [['mqttv31', 5], ['mqttv311', 5], ['mqttv5', 135]] as const

test('login: right password exits 0; wrong password, unknown user, anonymous → 5 (v3.1, v3.1.1) / 135 (v5)', { skip: skipMosquitto }, async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t)), allowAnonymous: false }))
  const pub = (version: string, creds: string[]) => runCli('mosquitto_pub',
    ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-i', 'p1', '-t', 't', '-m', 'x', ...creds], { timeoutMs: 10_000 })
  for (const [version, refused] of VERSIONS) {
    for (const creds of [['-u', 'alice', '-P', 's3cret'], ['-u', 'bob', '-P', 'b0b']]) {
      const ok = await pub(version, creds)
      assert.equal(ok.code, 0, `${version} ${creds[1]}: ${ok.stderr}`)
    }
    for (const creds of [['-u', 'alice', '-P', 'wrong'], ['-u', 'mallory', '-P', 's3cret'], ['-u', 'alice'], []]) {
      const r = await pub(version, creds)
      assert.equal(r.code, refused, `${version} ${creds.join(' ')}: ${r.stderr}`)
    }
  }
})

test('login: mosquitto_sub exits with the refusal code too', { skip: skipMosquitto }, async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t)), allowAnonymous: false }))
  for (const [version, refused] of VERSIONS) {
    const r = await runCli('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-i', 's1', '-t', 't',
      '-u', 'alice', '-P', 'nope'], { timeoutMs: 10_000 })
    assert.equal(r.code, refused, `${version}: ${r.stderr}`)
  }
})

test('allow_anonymous true with a password_file: anonymous in, bad password still out', { skip: skipMosquitto }, async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t)), allowAnonymous: true }))
  const base = ['-h', '127.0.0.1', '-p', String(port), '-t', 't', '-m', 'x']
  assert.equal((await runCli('mosquitto_pub', base, { timeoutMs: 10_000 })).code, 0)
  assert.equal((await runCli('mosquitto_pub', [...base, '-u', 'alice', '-P', 'x'], { timeoutMs: 10_000 })).code, 5)
})

async function client(t: TestContext, port: number, username: string, password: string, clientId: string): Promise<mqtt.MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, clientId, protocolVersion: 4, reconnectPeriod: 0 })
  t.after(() => c.endAsync())
  return c
}

/** The topics received, in order, until `last` arrives (bounded in time). */
function collectUntil(c: mqtt.MqttClient, last: string, timeoutMs = 5000): Promise<string[]> {
  const seen: string[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; received ${seen.join(', ')}`)), timeoutMs)
    c.on('message', (topic) => {
      seen.push(topic)
      if (topic === last) { clearTimeout(timer); resolve(seen) }
    })
  })
}

const ACL = `user alice
topic readwrite alice/#
topic write shared/in
user bob
topic read #
topic deny alice/secret
`

test('ACL: a publish without write access is dropped; the next allowed one still arrives', async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t, ACL)), allowAnonymous: false }))
  const bob = await client(t, port, 'bob', 'b0b', 'bob-1')
  await bob.subscribeAsync('#', { qos: 1 }) // subscriptions are not ACL-checked (mosquitto)
  const got = collectUntil(bob, 'shared/in')
  const alice = await client(t, port, 'alice', 's3cret', 'alice-1')
  await alice.publishAsync('public/denied', 'no', { qos: 0 }) // no write access: dropped silently
  await alice.publishAsync('alice/news', 'yes', { qos: 1 })
  await alice.publishAsync('shared/in', 'last', { qos: 1 })
  assert.deepEqual(await got, ['alice/news', 'shared/in'])
})

test('ACL: delivery is filtered by read access (deny first), subscription itself granted', async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t, ACL)), allowAnonymous: false }))
  const alice = await client(t, port, 'alice', 's3cret', 'alice-2')
  const granted = await alice.subscribeAsync('#', { qos: 1 })
  assert.equal(granted[0]?.qos, 1)
  const aliceGot = collectUntil(alice, 'alice/end')
  const bob = await client(t, port, 'bob', 'b0b', 'bob-2')
  await bob.subscribeAsync('alice/#', { qos: 1 })
  const bobGot = collectUntil(bob, 'alice/end')
  // alice writes; bob (read #, deny alice/secret) and alice (read only alice/#) filter what they get
  await alice.publishAsync('alice/secret', 's', { qos: 1 })
  await alice.publishAsync('shared/in', 'x', { qos: 1 }) // alice may write it but not read it back
  await alice.publishAsync('alice/end', 'e', { qos: 1 })
  assert.deepEqual(await aliceGot, ['alice/secret', 'alice/end'])
  assert.deepEqual(await bobGot, ['alice/end'])
})

test('per_listener_settings: the listener a client came in on picks its security', async (t) => {
  const f = await files(t)
  let auth: BrokerHooks | undefined
  const broker = createBroker({ hooks: { authenticate: (c) => auth!.authenticate!(c) } })
  t.after(() => broker.close())
  const open = await broker.listen({ port: 0, host: '127.0.0.1' })
  const closed = await broker.listen({ port: 0, host: '127.0.0.1' })
  auth = createAuthHooks({
    allowAnonymous: false, perListenerSettings: true,
    listeners: { [String(open.port)]: { allowAnonymous: true }, [String(closed.port)]: { ...f, allowAnonymous: false } },
  })
  const anon = await mqtt.connectAsync(`mqtt://127.0.0.1:${open.port}`, { reconnectPeriod: 0, clientId: 'anon-open' })
  await anon.endAsync()
  await assert.rejects(mqtt.connectAsync(`mqtt://127.0.0.1:${closed.port}`, { reconnectPeriod: 0, clientId: 'anon-closed' }), /Not authorized|not authori[sz]ed/i)
  const named = await mqtt.connectAsync(`mqtt://127.0.0.1:${closed.port}`, { reconnectPeriod: 0, clientId: 'bob-closed', username: 'bob', password: 'b0b' })
  await named.endAsync()
})

test('ACL: a denied v5 QoS 1 publish gets PUBACK 135 (mosquitto_pub warns, exits 0); v3.1.1 gets a plain PUBACK', { skip: skipMosquitto }, async (t) => {
  const port = await startBroker(t, createAuthHooks({ ...(await files(t, ACL)), allowAnonymous: false }))
  const pub = (version: string) => runCli('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-q', '1',
    '-u', 'alice', '-P', 's3cret', '-t', 'public/denied', '-m', 'x'], { timeoutMs: 10_000 })
  const v5 = await pub('mqttv5')
  assert.equal(v5.code, 0)
  assert.equal(v5.stderr, 'Warning: Publish 1 failed: Not authorized.\n')
  const v311 = await pub('mqttv311')
  assert.equal(v311.code, 0)
  assert.equal(v311.stderr, '')
})
