import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeIncoming, describeOutgoing } from '../../../src/client/debug-log.js'

test('-d lines match libmosquitto byte for byte', () => {
  const pub = { cmd: 'publish', topic: 'a', payload: Buffer.from('hello'), qos: 1, retain: true, dup: false, messageId: 1 } as const
  assert.deepEqual(describeOutgoing('(null)', { cmd: 'connect', clientId: '' } as never), ['Client (null) sending CONNECT'])
  assert.deepEqual(describeOutgoing('c', pub), ["Client c sending PUBLISH (d0, q1, r1, m1, 'a', ... (5 bytes))"])
  assert.deepEqual(describeOutgoing('c', { ...pub, qos: 0, messageId: undefined }, 3), ["Client c sending PUBLISH (d0, q0, r1, m3, 'a', ... (5 bytes))"])
  assert.equal(describeIncoming('c', { ...pub, qos: 0, messageId: undefined }), "Client c received PUBLISH (d0, q0, r1, m0, 'a', ... (5 bytes))")
  assert.deepEqual(describeOutgoing('c', { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a', qos: 0 }, { topic: 'b', qos: 1, rh: 2, rap: true }] }), [
    'Client c sending SUBSCRIBE (Mid: 1, Topic: a, QoS: 0, Options: 0x00)',
    'Client c sending SUBSCRIBE (Mid: 1, Topic: b, QoS: 1, Options: 0x28)',
  ])
  assert.equal(describeIncoming('c', { cmd: 'puback', messageId: 1 }), 'Client c received PUBACK (Mid: 1, RC:0)')
  assert.equal(describeIncoming('c', { cmd: 'connack', returnCode: 5, sessionPresent: false }), 'Client c received CONNACK (5)')
  assert.equal(describeIncoming('c', { cmd: 'disconnect', reasonCode: 142 }), 'Received DISCONNECT (142)')
  assert.deepEqual(describeOutgoing('c', { cmd: 'puback', messageId: 2 }), ['Client c sending PUBACK (m2, rc0)'])
  assert.deepEqual(describeOutgoing('c', { cmd: 'pubrel', messageId: 2 }), ['Client c sending PUBREL (m2)'])
})
