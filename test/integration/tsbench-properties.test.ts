// tsbench -D: connect properties reach the broker from worker threads too (binary ones included: a
// structured clone makes Buffers Uint8Arrays), -D subscribe goes with every SUBSCRIBE, and -D publish with
// every PUBLISH, user properties in the order given [MQTT-3.3.2-18] (v5).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { connect } from '../../src/client/client.js'
import type { PublishPacket, ReceivedPublish } from '../../src/codec/index.js'
import { startFakeBroker } from '../helpers/fake-broker.js'
import { runCli } from '../helpers/run-cli.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

describe('tsbench -D', () => {
  for (const workers of ['1', '2']) {
    it(`--workers ${workers}: a binary -D connect property in every CONNECT, -D subscribe in every SUBSCRIBE`, async (t) => {
      const fake = await startFakeBroker(t, {
        connack: 0,
        onPacket: (p, send) => { if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId!, granted: [0] }) },
      })
      const r = await runCli('tsbench', ['-h', '127.0.0.1', '-p', String(fake.port), '-V', '5', '-c', '0', '-S', '2', '--workers', workers,
        '-D', 'connect', 'authentication-method', 'x', '-D', 'connect', 'authentication-data', 'y',
        '-D', 'subscribe', 'subscription-identifier', '7', '-D', 'subscribe', 'user-property', 's', '1'], { timeoutMs: 15_000 })
      assert.equal(r.code, 0, r.stderr)
      const connects = fake.received.filter((p) => p.cmd === 'connect')
      assert.equal(connects.length, 2)
      for (const c of connects) {
        assert.equal(c.properties?.authenticationMethod, 'x')
        assert.deepEqual(c.properties?.authenticationData, Buffer.from('y'))
      }
      const subscribes = fake.received.filter((p) => p.cmd === 'subscribe')
      assert.equal(subscribes.length, 2)
      for (const s of subscribes) {
        assert.equal(s.properties?.subscriptionIdentifier, 7)
        assert.deepEqual({ ...s.properties?.userProperties }, { s: '1' })
      }
    })
    it(`--workers ${workers}: -D publish in every PUBLISH, user properties in order, correlation data binary`, async (t) => {
      const b = await spawnTsbroker(t, ['-p', '0'])
      const watcher = await connect({ transport: 'tcp', host: '127.0.0.1', port: b.port, path: '' }, { clientId: 'watcher', protocolVersion: 5 })
      t.after(() => watcher.destroy())
      const got: PublishPacket[] = []
      const five = new Promise<void>((resolve) => { watcher.onMessage = (m) => { if (got.push(m) === 5) resolve() } })
      await watcher.subscribe([{ topic: 'tsbench/#', qos: 1 }])
      const r = await runCli('tsbench', ['-h', '127.0.0.1', '-p', String(b.port), '-V', '5', '-C', '5', '-q', '1', '--workers', workers,
        '-D', 'publish', 'user-property', 'a', '1', '-D', 'publish', 'content-type', 'text/x', '-D', 'publish', 'correlation-data', 'cd',
        '-D', 'publish', 'user-property', 'b', '2', '-D', 'publish', 'user-property', 'a', '3'], { timeoutMs: 15_000 })
      assert.equal(r.code, 0, r.stderr)
      await five
      for (const m of got) {
        assert.equal(m.properties?.contentType, 'text/x')
        assert.deepEqual(m.properties?.correlationData, Buffer.from('cd'))
        const users = (m as ReceivedPublish).wireProperties?.filter((w) => w.name === 'userProperty').map((w) => `${w.key}=${w.value}`)
        assert.deepEqual(users, ['a=1', 'b=2', 'a=3'])
      }
    })
  }
})
