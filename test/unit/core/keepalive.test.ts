import { test } from 'node:test'
import assert from 'node:assert/strict'
import { KeepaliveTimer } from '../../../src/core/keepalive.js'
import { ManualClock } from '../../helpers/manual-clock.js'

test('keepalive pings after an idle period and expires when no PINGRESP comes', () => {
  const clock = new ManualClock()
  let pings = 0
  let expired = false
  new KeepaliveTimer(10, clock, () => pings++, () => { expired = true })
  clock.advance(9_999)
  assert.equal(pings, 0)
  clock.advance(1)
  assert.equal(pings, 1)
  clock.advance(10_000)
  assert.equal(expired, true)
})

test('traffic postpones the ping, and a PINGRESP keeps the connection alive', () => {
  const clock = new ManualClock()
  let pings = 0
  let expired = false
  const k = new KeepaliveTimer(10, clock, () => pings++, () => { expired = true })
  clock.advance(6_000)
  k.sent()
  clock.advance(6_000)
  assert.equal(pings, 0, 'sent 6 s ago: no ping yet')
  clock.advance(4_000)
  assert.equal(pings, 1)
  k.pong()
  clock.advance(10_000)
  assert.equal(pings, 2)
  assert.equal(expired, false)
  k.stop()
})

test('under steady traffic there is no ping; after the last send the ping comes within one period, never later [MQTT-3.1.2-23] (3.1.1)', () => {
  const clock = new ManualClock()
  let pings = 0
  const k = new KeepaliveTimer(10, clock, () => pings++, () => assert.fail('expired'))
  for (let t = 0; t < 60_000; t += 100) { k.sent(); clock.advance(100) } // a send every 100 ms for a minute
  assert.equal(pings, 0)
  const lastSend = clock.now() - 100
  for (let t = 0; t < 10_000 && pings === 0; t += 10) clock.advance(10)
  assert.equal(pings, 1)
  const gap = clock.now() - lastSend
  assert.ok(gap >= 5_000 && gap <= 10_000, `PINGREQ ${gap} ms after the last send (at most 10 s, at most 5 s early)`)
  k.stop()
})

test('traffic after a PINGRESP postpones the next ping as before: at most half a period early', () => {
  const clock = new ManualClock()
  let pings = 0
  const k = new KeepaliveTimer(10, clock, () => pings++, () => assert.fail('expired'))
  clock.advance(10_000)
  assert.equal(pings, 1)
  k.pong()
  clock.advance(9_900)
  k.sent() // just before a whole period since the PINGREQ
  clock.advance(4_000)
  assert.equal(pings, 1, 'no PINGREQ 4 s after a send')
  clock.advance(6_000)
  assert.equal(pings, 2, 'one within a period of the send')
  k.stop()
})
