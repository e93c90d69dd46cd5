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
