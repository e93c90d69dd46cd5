// Issue 10 item 1: a deep topic must not disable wildcard subscribers. One retained PUBLISH of ~4,750 levels
// used to make every later #, a/# or +/# subscriber crash out of topic matching (call stack exhausted).
// Now every walk is iterative (topic-trie.ts) and the edge refuses names and filters deeper than
// maxTopicLevels (default 200, as mosquitto; mosquitto's exact limit is 200 separators, i.e. 201 levels).
//
// | attack (10,000 levels)                          | answer 3.1.1              | answer v5                      |
// |-------------------------------------------------|---------------------------|--------------------------------|
// | PUBLISH (QoS 0 / 1, retained)                   | close                     | DISCONNECT 0x90 Topic Name invalid |
// | SUBSCRIBE / UNSUBSCRIBE                         | close (as mosquitto)      | SUBACK / UNSUBACK 0x8F for that filter |
// | will topic                                      | close, no CONNACK         | CONNACK 0x90                   |
// | retained message already in the store           | #, l0/#, +/# subscribers get it and stay connected |   |
// | limit raised to 20,000: all of it accepted      | subscribers and will fine |                                |
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../src/broker/broker.js'
import type { BrokerOptions } from '../../src/broker/options.js'
import { assertResponsive } from '../helpers/health.js'
import { CONNACK_OK, Wire, connect, pkt, props, str } from '../helpers/wire.js'

const deep = (levels: number) => Array.from({ length: levels }, (_, i) => `l${i % 10}`).join('/')
const DEEP = deep(10_000)

function broker(t: TestContext, opts: BrokerOptions = {}): Broker {
  const b = createBroker(opts)
  t.after(() => b.close())
  return b
}

async function connected(t: TestContext, b: Broker, v: 4 | 5, id: string): Promise<Wire> {
  const w = Wire.open(t, b)
  w.write(connect({ level: v, id }))
  await w.expect(CONNACK_OK[v])
  return w
}

const noProps = (v: 4 | 5) => (v === 5 ? [0] : [])

for (const v of [4, 5] as const) {
  test(`v${v === 5 ? 5 : '3.1.1'}: a 10,000-level PUBLISH (QoS 0, QoS 1 retained) is refused and nothing is stored`, async (t) => {
    const b = broker(t)
    for (const first of [0x30, 0x33]) {
      const w = await connected(t, b, v, 'deep-pub')
      w.write(pkt(first, [...str(DEEP), ...(first & 6 ? [0, 1] : []), ...noProps(v), 0x78]))
      await w.expectClose(v === 5 ? 'e00190' : '')
    }
    const sub = await connected(t, b, v, 'sub')
    sub.write(pkt(0x82, [0, 1, ...noProps(v), ...str('#'), 0]))
    await sub.expect(pkt(0x90, [0, 1, ...noProps(v), 0]))
    await sub.ping() // no retained message came
    await assertResponsive(t, b)
  })

  test(`v${v === 5 ? 5 : '3.1.1'}: a 10,000-level filter is refused (v5 in the SUBACK / UNSUBACK, 3.1.1 by closing)`, async (t) => {
    const b = broker(t)
    const w = await connected(t, b, v, 'deep-sub')
    w.write(pkt(0x82, [0, 1, ...noProps(v), ...str(`${DEEP}/#`), 1, ...str('fine/+'), 1]))
    if (v === 4) { await w.expectClose(''); return assertResponsive(t, b) }
    await w.expect(pkt(0x90, [0, 1, 0, 0x8f, 1]))
    w.write(pkt(0xa2, [0, 2, 0, ...str(DEEP)]))
    await w.expect(pkt(0xb0, [0, 2, 0, 0x8f]))
    await w.ping()
    await assertResponsive(t, b)
  })

  test(`v${v === 5 ? 5 : '3.1.1'}: a 10,000-level will topic is refused at CONNECT`, async (t) => {
    const b = broker(t)
    const w = Wire.open(t, b)
    w.write(connect({ level: v, id: 'deep-will', flags: 0x06, rest: [...noProps(v), ...str(DEEP), ...str('bye')] }))
    await w.expectClose(v === 5 ? '2003009000' : '')
    await assertResponsive(t, b)
  })
}

test('a 10,000-level retained message in the store: new #, l0/# and +/# subscribers get it and stay connected', async (t) => {
  const b = broker(t)
  b.publish({ topic: DEEP, payload: Buffer.from('x'), retain: true }) // from inside the process: no edge check
  const retained = pkt(0x31, [...str(DEEP), 0x78]).toString('hex')
  for (const [i, filter] of ['#', 'l0/#', '+/#', 'l0/l1/+/#'].entries()) {
    const w = await connected(t, b, 4, `s${i}`)
    w.write(pkt(0x82, [0, 1, ...str(filter), 0]))
    await w.expect('9003000100' + retained, filter)
    await w.ping()
  }
  await assertResponsive(t, b)
})

test('with maxTopicLevels 20,000, 10,000-level topics, filters, retained messages and wills all work', async (t) => {
  const b = broker(t, { maxTopicLevels: 20_000 })
  const sub = await connected(t, b, 5, 'wide')
  sub.write(pkt(0x82, [0, 1, 0, ...str('#'), 0, ...str(`${DEEP}/#`), 0, ...str('+/+/#'), 0]))
  await sub.expect(pkt(0x90, [0, 1, 0, 0, 0, 0]))
  const pub = await connected(t, b, 5, 'deep-pub')
  pub.write(pkt(0x33, [...str(DEEP), 0, 1, 0, 0x79]))
  await pub.expect('40020001')
  await sub.expect(pkt(0x30, [...str(DEEP), 0, 0x79]))
  const dying = Wire.open(t, b)
  dying.write(connect({ level: 5, id: 'dying', flags: 0x06, rest: [0, ...str(`${DEEP}/w`), ...str('bye')] }))
  await dying.expect(CONNACK_OK[5])
  dying.socket.end()
  await sub.expect(pkt(0x30, [...str(`${DEEP}/w`), ...props([]), ...Buffer.from('bye')]))
  const late = await connected(t, b, 4, 'late')
  late.write(pkt(0x82, [0, 1, ...str('+/#'), 0]))
  await late.expect('9003000100' + pkt(0x31, [...str(DEEP), 0x79]).toString('hex'))
  await assertResponsive(t, b)
})

test('the limit: 200 levels are accepted, 201 refused (and the option moves it)', async (t) => {
  const b = broker(t)
  const w = await connected(t, b, 5, 'edge')
  w.write(pkt(0x32, [...str(deep(200)), 0, 1, 0, 0x78]))
  await w.expect('4003000110')
  w.write(pkt(0x82, [0, 2, 0, ...str(deep(200)), 0, ...str(deep(201)), 0]))
  await w.expect(pkt(0x90, [0, 2, 0, 0, 0x8f]))
  w.write(pkt(0x32, [...str(deep(201)), 0, 3, 0, 0x78]))
  await w.expectClose('e00190')
  const small = broker(t, { maxTopicLevels: 3 })
  const s = await connected(t, small, 5, 'small')
  s.write(pkt(0x82, [0, 1, 0, ...str('a/b/c'), 0, ...str('a/b/c/d'), 0]))
  await s.expect(pkt(0x90, [0, 1, 0, 0, 0x8f]))
})
