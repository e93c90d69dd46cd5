// A bridge specification's defaults (mosquitto's) and the refusals createBroker({ bridges }) makes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BridgeConfigError, resolveBridge, type BridgeSpec } from '../../../src/broker/bridge/spec.js'
import { createBroker } from '../../../src/broker/broker.js'

const spec: BridgeSpec = { name: 'cloud', addresses: [{ host: 'mqtt.example' }], topics: [{ pattern: 'a/#' }] }

test('mosquitto\'s defaults: ids from the host name, $SYS state topic, 3.1.1, try_private, jittered 5–30 s, 60 s keepalive', () => {
  const b = resolveBridge(spec, 'edge-box')
  assert.deepEqual([b.remoteClientId, b.localClientId, b.stateTopic], ['edge-box.cloud', 'local.edge-box.cloud', '$SYS/broker/connection/edge-box.cloud/state'])
  assert.deepEqual(b.addresses, [{ host: 'mqtt.example', port: 1883 }])
  assert.deepEqual([b.protocolVersion, b.tryPrivate, b.cleanSession, b.localCleanSession, b.notifications, b.keepalive], [4, true, false, false, true, 60])
  assert.deepEqual([b.restart, b.startType, b.idleTimeoutMs, b.threshold, b.attemptUnsubscribe, b.outgoingRetain], [{ base: 5000, cap: 30_000 }, 'automatic', 60_000, 10, true, true])
  assert.deepEqual(b.topics.map((t) => [t.direction, t.qos, t.localFilter, t.remoteFilter]), [['out', 0, 'a/#', 'a/#']])
})

test('the password goes only with a user name; local_cleansession follows cleansession; keepalive at least 5', () => {
  const b = resolveBridge({ ...spec, remotePassword: 'p', cleanSession: true, keepalive: 1, restartTimeout: 9 }, 'h')
  assert.deepEqual([b.remotePassword, b.localCleanSession, b.keepalive, b.restart], [undefined, true, 5, { base: 9000, cap: undefined }])
})

const refused: ReadonlyArray<[Partial<BridgeSpec>, string]> = [
  [{ addresses: [] }, 'Invalid bridge configuration: no remote addresses defined (bridge cloud).'],
  [{ topics: [] }, 'Invalid bridge configuration: no topics defined (bridge cloud).'],
  [{ addresses: [{ host: 'h', port: 70000 }] }, 'Invalid bridge address h:70000.'],
  [{ topics: [{ pattern: '', localPrefix: 'x/' }] }, 'Invalid bridge remapping.'],
  [{ restartTimeout: [10, 5] }, 'backoff cap is lower than the base in restart_timeout.'],
  [{ tls: { cert: '/c.crt' } }, 'Bridge cloud: a client certificate needs its key, and a key its certificate (bridge_certfile, bridge_keyfile).'],
  [{ tls: { ca: '/nonexistent/ca.crt' } }, 'Unable to load bridge cloud CA certificates. Check bridge_cafile "/nonexistent/ca.crt".'],
]
for (const [change, message] of refused) {
  test(`createBroker refuses ${JSON.stringify(change)}`, () => {
    assert.throws(() => createBroker({ bridges: [{ ...spec, ...change }] }),
      (e: unknown) => e instanceof BridgeConfigError && e.message === message && e.bridge === 'cloud')
  })
}

test('two bridges need different names and local client ids', () => {
  assert.throws(() => createBroker({ bridges: [spec, { ...spec }] }), /Duplicate bridge name "cloud"\./)
  assert.throws(() => createBroker({ bridges: [{ ...spec, localClientId: 'x' }, { ...spec, name: 'two', localClientId: 'x' }] }), /Bridge local_clientid 'x' is not unique/)
})
