// PUBLISH, SUBSCRIBE, UNSUBSCRIBE and acknowledgements at the packet level (issue 9): hand-made bytes into
// broker.handle(), the exact bytes back (or the close). "close" for 3.1/3.1.1 means: nothing more, then the
// connection ends; v5 gets a DISCONNECT with the reason code first.
//
// | rule                                                                   | spec                                      | 3.1.1 | v5 |
// |------------------------------------------------------------------------|-------------------------------------------|-------|----|
// | packet identifier 0 in PUBLISH QoS 1/2, SUBSCRIBE, UNSUBSCRIBE          | [MQTT-2.3.1-1] (3.1.1), [MQTT-2.2.1-3] (v5) | close | DISCONNECT 0x82 |
// | SUBSCRIBE / UNSUBSCRIBE without a topic filter                         | [MQTT-3.8.3-3], [MQTT-3.10.3-2] (3.1.1); [MQTT-3.8.3-2], [MQTT-3.10.3-2] (v5) | close | 0x82 |
// | topic name / filter not UTF-8 or with U+0000                           | [MQTT-1.5.3-1/2], [MQTT-3.3.2-1], [MQTT-3.8.3-1], [MQTT-3.10.3-1] | close | 0x81 |
// | misplaced wildcards in a filter                                        | [MQTT-4.7.1-2], [MQTT-4.7.1-3]            | close (as mosquitto) | SUBACK / UNSUBACK 0x8F |
// | a duplicated PUBLISH property; a Subscription Identifier from a client | MQTT 5 §2.2.2.2, [MQTT-3.3.4-6] (v5)      | -     | 0x82 |
// | topic alias 0, above the maximum, or never set                         | [MQTT-3.3.2-8], [MQTT-3.3.2-9] (v5)       | -     | 0x94 |
// | empty topic name without a topic alias                                 | MQTT 5 §3.3.2.1                           | close | 0x82 |
// | acknowledgement of packet identifier 0                                 | (mosquitto closes too)                    | close | 0x82 |
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import { CONNACK_OK, Wire, connect, pkt, props, str } from '../../helpers/wire.js'

function broker(t: TestContext): Broker {
  const b = createBroker()
  t.after(() => b.close())
  return b
}

/** A connected client of version `v` (4 or 5). */
async function connected(t: TestContext, b: Broker, v: 4 | 5): Promise<Wire> {
  const w = Wire.open(t, b)
  w.write(connect({ level: v, id: `p${v}` }))
  await w.expect(CONNACK_OK[v])
  return w
}

const NO_PROPS = (v: 4 | 5) => (v === 5 ? [0] : [])
const BAD = [0x61, 0xff]
const NUL = [0x61, 0x00]

type Case = [name: string, bytes: (v: 4 | 5) => Buffer, v5Reason: number]
const closing: Case[] = [
  ['[MQTT-2.3.1-1] (3.1.1) / [MQTT-2.2.1-3] (v5): PUBLISH QoS 1 with packet identifier 0', (v) => pkt(0x32, [...str('t'), 0, 0, ...NO_PROPS(v), 0x78]), 0x82],
  ['[MQTT-2.3.1-1] (3.1.1) / [MQTT-2.2.1-3] (v5): PUBLISH QoS 2 with packet identifier 0', (v) => pkt(0x34, [...str('t'), 0, 0, ...NO_PROPS(v), 0x78]), 0x82],
  ['[MQTT-2.3.1-1] (3.1.1) / [MQTT-2.2.1-3] (v5): SUBSCRIBE with packet identifier 0', (v) => pkt(0x82, [0, 0, ...NO_PROPS(v), ...str('t'), 0]), 0x82],
  ['[MQTT-2.3.1-1] (3.1.1) / [MQTT-2.2.1-3] (v5): UNSUBSCRIBE with packet identifier 0', (v) => pkt(0xa2, [0, 0, ...NO_PROPS(v), ...str('t')]), 0x82],
  ['[MQTT-3.8.3-3] (3.1.1) / [MQTT-3.8.3-2] (v5): SUBSCRIBE without a filter', (v) => pkt(0x82, [0, 1, ...NO_PROPS(v)]), 0x82],
  ['[MQTT-3.10.3-2] (3.1.1, v5): UNSUBSCRIBE without a filter', (v) => pkt(0xa2, [0, 1, ...NO_PROPS(v)]), 0x82],
  ['[MQTT-1.5.3-1] / [MQTT-3.3.2-1]: a topic name that is not UTF-8', (v) => pkt(0x30, [...str(BAD), ...NO_PROPS(v), 0x78]), 0x81],
  ['[MQTT-1.5.3-2] / [MQTT-3.3.2-1]: a topic name with U+0000 (QoS 1)', (v) => pkt(0x32, [...str(NUL), 0, 1, ...NO_PROPS(v), 0x78]), 0x81],
  ['[MQTT-1.5.3-1] / [MQTT-3.8.3-1]: a SUBSCRIBE filter that is not UTF-8', (v) => pkt(0x82, [0, 1, ...NO_PROPS(v), ...str('ok'), 0, ...str(BAD), 0]), 0x81],
  ['[MQTT-1.5.3-2] / [MQTT-3.10.3-1]: an UNSUBSCRIBE filter with U+0000', (v) => pkt(0xa2, [0, 1, ...NO_PROPS(v), ...str(NUL)]), 0x81],
  ['an acknowledgement of packet identifier 0', () => pkt(0x40, [0, 0]), 0x82],
]
for (const v of [4, 5] as const) {
  for (const [name, bytes, reason] of closing) {
    test(`${name}: ${v === 5 ? `DISCONNECT 0x${reason.toString(16)}, then the close` : 'the close (3.1.1)'}`, async (t) => {
      const w = await connected(t, broker(t), v)
      w.write(bytes(v))
      await w.expectClose(v === 5 ? `e001${reason.toString(16)}` : '')
    })
  }
}

test('[MQTT-4.7.1-2], [MQTT-4.7.1-3] (v5): misplaced wildcards are refused in the SUBACK (0x8F), the valid filters granted', async (t) => {
  const w = await connected(t, broker(t), 5)
  w.write(pkt(0x82, [0, 7, 0, ...str('a/b#'), 1, ...str('ok/+'), 2, ...str('a/+b'), 0, ...str('#/a'), 0, ...str('$share/g'), 0]))
  await w.expect(pkt(0x90, [0, 7, 0, 0x8f, 2, 0x8f, 0x8f, 0x8f]))
  w.write(pkt(0xa2, [0, 8, 0, ...str('a/b#'), ...str('ok/+')]))
  await w.expect(pkt(0xb0, [0, 8, 0, 0x8f, 0x00]))
  await w.ping()
})

test('[MQTT-4.7.1-2], [MQTT-4.7.1-3] (3.1.1): misplaced wildcards close the connection, as mosquitto, and nothing is subscribed', async (t) => {
  const b = broker(t)
  const persistent = Wire.open(t, b)
  persistent.write(connect({ id: 'keep', flags: 0x00 }), pkt(0x82, [0, 1, ...str('ok/+'), 0, ...str('a/b#'), 0]))
  await persistent.expectClose(CONNACK_OK[4])
  for (const packet of [pkt(0x82, [0, 1, ...str('a/+b'), 1]), pkt(0xa2, [0, 1, ...str('a/#/b')])]) {
    const w = await connected(t, b, 4)
    w.write(packet)
    await w.expectClose('')
  }
  const back = Wire.open(t, b)
  back.write(connect({ id: 'keep', flags: 0x00 }), pkt(0x30, [...str('ok/x'), 0x78]))
  await back.expect('20020100', 'the session is there')
  await back.ping() // and ok/x did not come back: the refused SUBSCRIBE subscribed nothing, not even ok/+
})

test('MQTT 5 §2.2.2.2: a property given twice in a PUBLISH is a protocol error (DISCONNECT 0x82)', async (t) => {
  const w = await connected(t, broker(t), 5)
  w.write(pkt(0x32, [...str('t'), 0, 1, ...props([0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2]), 0x78]))
  await w.expectClose('e00182')
})

test('[MQTT-3.3.4-6] (v5): a PUBLISH from a client carrying a Subscription Identifier is a protocol error', async (t) => {
  const w = await connected(t, broker(t), 5)
  w.write(pkt(0x32, [...str('t'), 0, 1, ...props([0x0b, 1]), 0x78]))
  await w.expectClose('e00182')
})

for (const [name, alias] of [['[MQTT-3.3.2-8] (v5): topic alias 0', [0, 0]], ['[MQTT-3.3.2-9] (v5): a topic alias above Topic Alias Maximum (10)', [0, 11]]] as const) {
  test(`${name}: DISCONNECT 0x94`, async (t) => {
    const w = await connected(t, broker(t), 5)
    w.write(pkt(0x30, [...str('t'), ...props([0x23, ...alias]), 0x78]))
    await w.expectClose('e00194')
  })
}

test('MQTT 5 §3.3.2.3.4: an empty topic with a topic alias never set: DISCONNECT 0x94', async (t) => {
  const w = await connected(t, broker(t), 5)
  w.write(pkt(0x30, [...str('a'), ...props([0x23, 0, 1]), 0x78])) // alias 1 = "a": fine
  w.write(pkt(0x30, [...str(''), ...props([0x23, 0, 1]), 0x78]))
  await w.ping()
  w.write(pkt(0x30, [...str(''), ...props([0x23, 0, 2]), 0x78]))
  await w.expectClose('e00194')
})

test('MQTT 5 §3.3.2.1: an empty topic without a topic alias is a protocol error (3.1.1: the close)', async (t) => {
  const b = broker(t)
  const v5 = await connected(t, b, 5)
  v5.write(pkt(0x32, [...str(''), 0, 1, 0, 0x78]))
  await v5.expectClose('e00182')
  const v4 = await connected(t, b, 4)
  v4.write(pkt(0x32, [...str(''), 0, 1, 0x78]))
  await v4.expectClose('')
})
