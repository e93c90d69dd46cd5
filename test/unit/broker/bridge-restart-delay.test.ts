// mosquitto's restart_timeout: a fixed wait, or "decorrelated jitter" between the base and three times the
// previous wait, capped, back to the base after a success (the random source is injected).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RestartDelay } from '../../../src/broker/bridge/restart-delay.js'

test('one value: always that wait', () => {
  const d = new RestartDelay(7000, undefined, () => 0.9)
  assert.deepEqual([d.next(), d.next(), d.next()], [7000, 7000, 7000])
})

test('base and cap: each wait between the base and 3× the previous, never above the cap', () => {
  const highest = new RestartDelay(5000, 30_000, () => 1)
  assert.deepEqual([highest.next(), highest.next(), highest.next(), highest.next()], [15_000, 30_000, 30_000, 30_000])
  const lowest = new RestartDelay(5000, 30_000, () => 0)
  assert.deepEqual([lowest.next(), lowest.next()], [5000, 5000])
  const half = new RestartDelay(1000, 60_000, () => 0.5)
  assert.deepEqual([half.next(), half.next(), half.next()], [2000, 3500, 5750])
})

test('a success starts again from the base', () => {
  const d = new RestartDelay(5000, 30_000, () => 1)
  d.next()
  d.next()
  d.reset()
  assert.equal(d.next(), 15_000)
})
