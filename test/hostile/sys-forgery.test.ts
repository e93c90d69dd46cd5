// Issue 10 item 2: no client-originated message lands on a `$SYS` topic: not by PUBLISH (QoS 0/1/2,
// retained or not), not by will, and not on the exact topics `$SYS` and `$SYSfoo` either (mosquitto's
// test is the "$SYS" prefix). `$share...` is no topic to publish to. The one exception is a bridge's
// state, `$SYS/broker/connection/<name>/state` (reserved-topics.ts, BRIDGE_STATE_TOPICS).
//
// | attempt                                             | 3.1.1                           | v5                 |
// |-----------------------------------------------------|---------------------------------|--------------------|
// | PUBLISH $SYS/..., $SYS, $SYSfoo, $share/..., QoS 1  | PUBACK, dropped (as mosquitto)  | PUBACK 0x87        |
// | same at QoS 2                                       | PUBREC … PUBCOMP, dropped       | PUBREC 0x87        |
// | same at QoS 0, retained                             | dropped                         | dropped            |
// | will on $SYS/broker/version, retained               | CONNACK 0, will never published (as mosquitto) |  |
// | $SYS/broker/connection/<name>/state, retained, and as a will | delivered and retained |              |
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../src/broker/broker.js'
import { assertResponsive } from '../helpers/health.js'
import { CONNACK_OK, Wire, connect, pkt, str } from '../helpers/wire.js'

const VERSION_TOPIC = '$SYS/broker/version'
const FORGED = [VERSION_TOPIC, '$SYS', '$SYSfoo', '$SYS/broker/clients/connected', '$share/g/t', '$sharefoo']

/** A broker whose own $SYS value is retained, and a '$SYS/#' + '#' + '$share/#'-ish watcher. */
async function setup(t: TestContext): Promise<{ b: Broker; watch: Wire }> {
  const b = createBroker()
  t.after(() => b.close())
  b.publish({ topic: VERSION_TOPIC, payload: Buffer.from('tsbroker version 1'), retain: true })
  const watch = Wire.open(t, b)
  watch.write(connect({ level: 5, id: 'watch' }), pkt(0x82, [0, 1, 0, ...str('$SYS/#'), 0, ...str('$SYSfoo'), 0, ...str('$sharefoo'), 0]))
  await watch.expect(CONNACK_OK[5] + pkt(0x90, [0, 1, 0, 0, 0, 0]).toString('hex') + pkt(0x31, [...str(VERSION_TOPIC), 0, ...Buffer.from('tsbroker version 1')]).toString('hex'))
  return { b, watch }
}

/** Nothing reached the watcher, and a new subscriber sees only the broker's own retained value. */
async function untouched(t: TestContext, b: Broker, watch: Wire): Promise<void> {
  await watch.ping()
  const late = Wire.open(t, b)
  late.write(connect({ id: 'late' }), pkt(0x82, [0, 1, ...str('$SYS/#'), 0, ...str('$SYSfoo'), 0]))
  await late.expect(CONNACK_OK[4] + '900400010000' + pkt(0x31, [...str(VERSION_TOPIC), ...Buffer.from('tsbroker version 1')]).toString('hex'))
  await late.ping()
  await assertResponsive(t, b)
}

for (const v of [4, 5] as const) {
  const props = v === 5 ? [0] : []
  test(`v${v === 5 ? 5 : '3.1.1'}: PUBLISH to $SYS, $SYSfoo and $share at QoS 0, 1 and 2, retained, is dropped${v === 5 ? ' with 0x87' : ''}`, async (t) => {
    const { b, watch } = await setup(t)
    const w = Wire.open(t, b)
    w.write(connect({ level: v, id: 'forger' }))
    await w.expect(CONNACK_OK[v])
    let id = 1
    for (const topic of FORGED) {
      w.write(pkt(0x31, [...str(topic), ...props, 0x66])) // QoS 0, retained
      w.write(pkt(0x33, [...str(topic), 0, id, ...props, 0x66])) // QoS 1, retained
      await w.expect(v === 5 ? `400300${id.toString(16).padStart(2, '0')}87` : `400200${id.toString(16).padStart(2, '0')}`, `${topic} QoS 1`)
      id++
      w.write(pkt(0x35, [...str(topic), 0, id, ...props, 0x66])) // QoS 2, retained
      if (v === 5) await w.expect(`500300${id.toString(16).padStart(2, '0')}87`, `${topic} QoS 2`)
      else {
        await w.expect(`500200${id.toString(16).padStart(2, '0')}`)
        w.write(`620200${id.toString(16).padStart(2, '0')}`)
        await w.expect(`700200${id.toString(16).padStart(2, '0')}`)
      }
      id++
    }
    await untouched(t, b, watch)
    assert.equal(b.stats.publishDropped, FORGED.length * 3)
  })

  test(`v${v === 5 ? 5 : '3.1.1'}: a retained will on $SYS/broker/version is accepted but never published`, async (t) => {
    const { b, watch } = await setup(t)
    for (const topic of [VERSION_TOPIC, '$SYS', '$share/g/x']) {
      const w = Wire.open(t, b)
      w.write(connect({ level: v, id: 'will-forger', flags: 0x36, rest: [...props, ...str(topic), ...str('forged')] })) // will QoS 2, retained
      await w.expect(CONNACK_OK[v], 'accepted, as mosquitto does')
      w.socket.end() // an abnormal end: a will would be due now
      await w.closed()
    }
    await untouched(t, b, watch)
  })
}

test('the bridge exception: $SYS/broker/connection/<name>/state is published and retained, also as a will', async (t) => {
  const { b, watch } = await setup(t)
  const state = '$SYS/broker/connection/edge-1/state'
  const bridge = Wire.open(t, b)
  bridge.write(connect({ id: 'edge-1', flags: 0x26, rest: [...str(state), ...str('0')] }), pkt(0x31, [...str(state), 0x31]))
  await bridge.expect(CONNACK_OK[4])
  await watch.expect(pkt(0x30, [...str(state), 0, 0x31]))
  bridge.socket.end()
  await watch.expect(pkt(0x30, [...str(state), 0, 0x30]), 'the will')
  const late = Wire.open(t, b)
  late.write(connect({ id: 'late' }), pkt(0x82, [0, 1, ...str('$SYS/broker/connection/+/state'), 0]))
  await late.expect(CONNACK_OK[4] + '9003000100' + pkt(0x31, [...str(state), 0x30]).toString('hex'))
})
