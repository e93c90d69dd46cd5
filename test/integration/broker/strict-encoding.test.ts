// What the broker writes, byte for byte (issue 9 "Encoding"): v5 short forms, and forwarded properties.
//
// | rule                                                                                   | spec                              |
// |----------------------------------------------------------------------------------------|-----------------------------------|
// | PUBACK/PUBREC/PUBREL/PUBCOMP: RL 2 for Success, RL 3 with another code, no properties   | MQTT 5 §3.4.2.1, §3.5.2.1, §3.6.2.1, §3.7.2.1 |
// | DISCONNECT: RL 1 with a reason code and no properties                                  | MQTT 5 §3.14.2.1                  |
// | user properties unaltered and in order, also among the other properties (PUBLISH, will, retained) | [MQTT-3.3.2-17], [MQTT-3.3.2-18] (v5) |
// | payload format indicator, content type, response topic, correlation data as received   | [MQTT-3.3.2-4], [MQTT-3.3.2-20], [MQTT-3.3.2-15], [MQTT-3.3.2-16] (v5) |
// | message expiry: the remaining time, in its place                                      | [MQTT-3.3.2-6] (v5)               |
// | a subscriber's subscription identifier is added                                       | [MQTT-3.3.4-3] (v5)               |
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerOptions } from '../../../src/broker/options.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { CONNACK_OK, Wire, connect, pkt, props, str } from '../../helpers/wire.js'

function broker(t: TestContext, opts: BrokerOptions = {}): Broker {
  const b = createBroker(opts)
  t.after(() => b.close())
  return b
}

async function connected(t: TestContext, b: Broker, id: string, v: 4 | 5 = 5): Promise<Wire> {
  const w = Wire.open(t, b)
  w.write(connect({ level: v, id }))
  await w.expect(CONNACK_OK[v])
  return w
}

test('MQTT 5 §3.4.2.1, §3.5.2.1, §3.7.2.1: the broker acknowledges publishes in the short forms', async (t) => {
  const b = broker(t)
  const pub = await connected(t, b, 'pub')
  pub.write(pkt(0x32, [...str('nobody'), 0, 1, 0, 0x78]))
  await pub.expect('4003000110', 'QoS 1, no subscriber: 0x10 with no properties')
  pub.write(pkt(0x34, [...str('nobody'), 0, 2, 0, 0x78]))
  await pub.expect('5003000210', 'QoS 2, no subscriber')
  pub.write('62020002')
  await pub.expect('70020002', 'PUBCOMP, Success: remaining length 2')
  const sub = await connected(t, b, 'sub')
  sub.write(pkt(0x82, [0, 1, 0, ...str('s'), 2]))
  await sub.expect(pkt(0x90, [0, 1, 0, 2]))
  pub.write(pkt(0x32, [...str('s'), 0, 3, 0, 0x31]))
  await pub.expect('40020003', 'QoS 1 delivered: Success, remaining length 2')
  await sub.expect(pkt(0x32, [...str('s'), 0, 1, 0, 0x31]))
  sub.write('40020001')
  pub.write(pkt(0x34, [...str('s'), 0, 4, 0, 0x32]))
  await pub.expect('50020004')
  await sub.expect(pkt(0x34, [...str('s'), 0, 2, 0, 0x32]))
  sub.write('50020002')
  await sub.expect('62020002', 'PUBREL, Success: remaining length 2')
  sub.write('70020002')
  pub.write('62020004')
  await pub.expect('70020004')
  await sub.ping()
})

test('MQTT 5 §3.14.2.1: the broker\'s DISCONNECT carries the reason code only (takeover 0x8E, shutdown 0x8B)', async (t) => {
  const b = createBroker()
  const first = await connected(t, b, 'same')
  await connected(t, b, 'same')
  await first.expectClose('e0018e')
  const last = await connected(t, b, 'other')
  await b.close()
  await last.expectClose('e0018b')
})

/** a=1, content type, b=2, message expiry, a=3, payload format 1, response topic, correlation data */
const withExpiry = (seconds: number) => [
  0x26, ...str('a'), ...str('1'), 0x03, ...str('text/plain'), 0x26, ...str('b'), ...str('2'), 0x02, 0, 0, 0, seconds,
  0x26, ...str('a'), ...str('3'), 0x01, 1, 0x08, ...str('re/ply'), 0x09, ...str([0, 1, 0xff]),
]
const PROPS = withExpiry(100)

test('[MQTT-3.3.2-17], [MQTT-3.3.2-18] (v5): a forwarded PUBLISH keeps every property as received, in wire order', async (t) => {
  const b = broker(t)
  const sub = await connected(t, b, 'osub')
  sub.write(pkt(0x82, [0, 1, 0, ...str('o/t'), 1]), pkt(0x82, [0, 2, ...props([0x0b, 9]), ...str('o/+'), 0]))
  await sub.expect(pkt(0x90, [0, 1, 0, 1]).toString('hex') + pkt(0x90, [0, 2, 0, 0]).toString('hex'))
  const pub = await connected(t, b, 'opub')
  pub.write(pkt(0x32, [...str('o/t'), 0, 7, ...props(PROPS), 0x78]))
  await pub.expect('40020007')
  // one copy (QoS 1 from o/t) with the identifier of o/+ after the properties as received [MQTT-3.3.4-3]
  await sub.expect(pkt(0x32, [...str('o/t'), 0, 1, ...props([...PROPS, 0x0b, 9]), 0x78]))
})

test('[MQTT-3.3.2-6] (v5): a retained message keeps its property order; its expiry shows the time left, in place', async (t) => {
  const clock = new ManualClock()
  clock.advance(1_000_000)
  const b = broker(t, { clock })
  const pub = await connected(t, b, 'rpub')
  pub.write(pkt(0x31, [...str('r/t'), ...props(PROPS), 0x78]))
  await pub.ping()
  clock.advance(30_000)
  const sub = await connected(t, b, 'rsub')
  sub.write(pkt(0x82, [0, 1, 0, ...str('r/#'), 0]))
  await sub.expect(pkt(0x90, [0, 1, 0, 0]).toString('hex') + pkt(0x31, [...str('r/t'), ...props(withExpiry(70)), 0x78]).toString('hex'))
})

test('[MQTT-3.3.2-18] (v5): a will keeps its property order (minus the will delay), whatever the subscriber', async (t) => {
  const b = broker(t)
  const sub = await connected(t, b, 'wsub')
  sub.write(pkt(0x82, [0, 1, 0, ...str('w/t'), 0]))
  await sub.expect(pkt(0x90, [0, 1, 0, 0]))
  const v4 = await connected(t, b, 'wsub4', 4)
  v4.write(pkt(0x82, [0, 1, ...str('w/t'), 0]))
  await v4.expect(pkt(0x90, [0, 1, 0]))
  const willProps = [0x26, ...str('k'), ...str('1'), 0x18, 0, 0, 0, 0, 0x03, ...str('ct'), 0x26, ...str('k'), ...str('2')]
  const dying = Wire.open(t, b)
  dying.write(connect({ level: 5, id: 'dying', flags: 0x06, rest: [...props(willProps), ...str('w/t'), ...str('bye')] }))
  await dying.expect(CONNACK_OK[5])
  dying.socket.end() // the connection ends without DISCONNECT: the will is due
  await sub.expect(pkt(0x30, [...str('w/t'), ...props([0x26, ...str('k'), ...str('1'), 0x03, ...str('ct'), 0x26, ...str('k'), ...str('2')]), ...Buffer.from('bye')]))
  await v4.expect(pkt(0x30, [...str('w/t'), ...Buffer.from('bye')]), '3.1.1 subscribers get no properties')
})
