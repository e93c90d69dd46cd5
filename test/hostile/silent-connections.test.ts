// Issue 10: sockets that never speak cannot pile up. A connection that has not sent a whole CONNECT within
// 10 seconds is closed (tsbroker.conf(5), LIMITS: silent connections); one that has connected is not.
// The broker's clock is a ManualClock, so the 10 seconds pass without waiting.
import assert from 'node:assert/strict'
import { duplexPair, type Duplex } from 'node:stream'
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../src/broker/broker.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { CONNACK_OK, connect } from '../helpers/wire.js'

/** A connection into the broker; returns the broker's end (destroyed when the broker closes it) and ours. */
function open(t: TestContext, broker: Broker): { theirs: Duplex; ours: Duplex; received: () => Buffer } {
  const [ours, theirs] = duplexPair()
  let got = Buffer.alloc(0)
  ours.on('data', (d: Buffer) => { got = Buffer.concat([got, d]) }).on('error', () => {})
  broker.handle(theirs, { remoteAddress: '127.0.0.1:1', listener: 'test' })
  t.after(() => { ours.destroy(); theirs.destroy() })
  return { theirs, ours, received: () => got }
}

test('a connection without a whole CONNECT is closed after 10 s; a connected one (keepalive 0) stays', async (t) => {
  const clock = new ManualClock()
  const broker = createBroker({ clock })
  t.after(() => broker.close())
  const silent = open(t, broker)
  const partial = open(t, broker)
  partial.ours.write(connect({ id: 'slow' }).subarray(0, 5)) // a slowloris: a CONNECT that never completes
  const connected = open(t, broker)
  connected.ours.write(connect({ id: 'ok', keepalive: 0 }))
  await new Promise((r) => setImmediate(r)) // the broker reads what was written
  assert.equal(connected.received().toString('hex'), CONNACK_OK[4])
  clock.advance(9_500)
  assert.deepEqual([silent.theirs.destroyed, partial.theirs.destroyed], [false, false], 'still open before 10 s')
  clock.advance(500)
  assert.deepEqual([silent.theirs.destroyed, partial.theirs.destroyed], [true, true], 'closed at 10 s')
  clock.advance(60_000)
  assert.equal(connected.theirs.destroyed, false, 'a connected client with keepalive 0 is never timed out')
})
