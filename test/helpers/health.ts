// The health client of the hostile suite: while (and after) an attacker does its worst, a well-behaved
// client still connects, subscribes and gets its own message back within a bound.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { Broker } from '../../src/broker/broker.js'
import { CONNACK_OK, Wire, connect, pkt, str } from './wire.js'

let next = 0

export async function assertResponsive(t: TestContext, broker: Broker, boundMs = 1000): Promise<void> {
  const started = Date.now()
  const id = `health-${next++}`
  const w = Wire.open(t, broker)
  w.write(connect({ id }), pkt(0x82, [0, 1, ...str(id), 0]), pkt(0x30, [...str(id), 0x6f, 0x6b]))
  await w.expect(CONNACK_OK[4] + '9003000100' + pkt(0x30, [...str(id), 0x6f, 0x6b]).toString('hex'), 'the health client')
  const took = Date.now() - started
  assert.ok(took < boundMs, `the health client took ${took} ms (bound ${boundMs} ms)`)
  w.write('e000')
  await w.closed()
}
