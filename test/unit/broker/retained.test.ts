import assert from 'node:assert/strict'
import { test } from 'node:test'
import { makeMessage } from '../../../src/broker/message.js'
import { RetainedMessages } from '../../../src/broker/retained.js'
import { newStats } from '../../../src/broker/stats.js'
import { Accounting } from '../../../src/broker/session-events.js'

const msg = (topic: string, payload: string, expirySec?: number, now = 0) =>
  makeMessage(topic, Buffer.from(payload), 1, true, expirySec ? { messageExpiryInterval: expirySec } : undefined, now)

test('a retained message is set, replaced per topic and counted', () => {
  const stats = newStats(0)
  const r = new RetainedMessages(new Accounting(stats, () => false))
  r.update(msg('a/b', 'one'))
  r.update(msg('a/c', 'two'))
  r.update(msg('a/b', 'three'))
  assert.equal(stats.retainedCount, 2)
  assert.equal(stats.storedMessages, 2)
  assert.equal(stats.storedBytes, 8)
  assert.deepEqual(r.match('a/+', 0).map((m) => m.payload.toString()).sort(), ['three', 'two'])
})

test('an empty retained payload clears the topic [MQTT-3.3.1-10]', () => {
  const stats = newStats(0)
  const r = new RetainedMessages(new Accounting(stats, () => false))
  r.update(msg('a/b', 'x'))
  r.update(msg('a/b', ''))
  assert.equal(stats.retainedCount, 0)
  assert.equal(stats.storedBytes, 0)
  assert.deepEqual(r.match('#', 0), [])
})

test('an expired retained message is not delivered and is removed [MQTT-3.3.2-5]', () => {
  const stats = newStats(0)
  const r = new RetainedMessages(new Accounting(stats, () => false))
  r.update(msg('a/b', 'x', 10, 1000))
  r.update(msg('a/c', 'y'))
  assert.equal(r.match('a/#', 10_999).length, 2)
  assert.deepEqual(r.match('a/#', 11_000).map((m) => m.topic), ['a/c'])
  assert.equal(stats.retainedCount, 1)
})

test('retained $ topics are only found by filters starting with $', () => {
  const r = new RetainedMessages(new Accounting(newStats(0), () => false))
  r.update(msg('$SYS/broker/version', 'v'))
  assert.equal(r.match('#', 0).length, 0)
  assert.equal(r.match('$SYS/#', 0).length, 1)
})
