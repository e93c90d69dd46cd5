// A bridge connecting INTO tsbroker, as mosquitto's bridges do (try_private): exact bytes over broker.handle().
//
// | CONNECT level                  | treated as        | its subscriptions                                    |
// |--------------------------------|-------------------|------------------------------------------------------|
// | 0x84 (3.1.1 | 0x80), 0x83 (3.1) | a bridge          | no-local, retain as published (mosquitto 2.0)         |
// | 0x85 (5 | 0x80)                 | a plain v5 client | as it asks (mosquitto 2.0 ignores the bit on MQTT 5) |
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { LogLevel } from '../../../src/broker/options.js'
import { CONNACK_OK, Wire, connect, pkt, str, u16 } from '../../helpers/wire.js'

function broker(t: TestContext, logs: string[] = []): Broker {
  const b = createBroker({ logger: (_l: LogLevel, line) => logs.push(line) })
  t.after(() => b.close())
  return b
}

const subscribe = (filter: string, qos: number) => pkt(0x82, [...u16(1), ...str(filter), qos])
const publish0 = (topic: string, payload: string, retain: boolean) => pkt(retain ? 0x31 : 0x30, [...str(topic), ...Buffer.from(payload)])

async function plain(t: TestContext, b: Broker, id: string): Promise<Wire> {
  const w = Wire.open(t, b)
  w.write(connect({ id }))
  await w.expect(CONNACK_OK[4])
  return w
}

for (const [level, name] of [[0x84, 'MQTT'], [0x83, 'MQIsdp']] as const) {
  test(`a bridge (level 0x${level.toString(16)}) is accepted; its own messages are not sent back, others keep their retain flag`, async (t) => {
    const logs: string[] = []
    const b = broker(t, logs)
    const bridge = Wire.open(t, b)
    bridge.write(connect({ name, level, id: 'br' }))
    await bridge.expect(CONNACK_OK[4])
    assert.ok(logs.includes(`New bridge connected from 127.0.0.1:1 as br (p${level === 0x84 ? 2 : 1}, c1, k60).`), logs.join('\n'))
    bridge.write(subscribe('t/#', 0))
    await bridge.expect('9003 0001 00')
    bridge.write(publish0('t/own', 'x', true))
    await bridge.ping() // nothing came back before the PINGRESP: no-local
    const other = await plain(t, b, 'other')
    other.write(publish0('t/live', 'y', true))
    await bridge.expect(publish0('t/live', 'y', true), 'retain flag as published (0x31)')
    // a plain 3.1.1 subscriber gets the same live message with retain 0 [MQTT-3.3.1-9]
    const watcher = await plain(t, b, 'watcher')
    watcher.write(subscribe('t/live', 0))
    await watcher.expect('9003 0001 00')
    await watcher.expect(publish0('t/live', 'y', true), 'the retained copy on subscribe')
    other.write(publish0('t/live', 'z', true))
    await watcher.expect(publish0('t/live', 'z', false))
    await bridge.expect(publish0('t/live', 'z', true))
  })
}

test('level 0x85 (the bit on MQTT 5) is a plain v5 client, as mosquitto 2.0 treats it', async (t) => {
  const logs: string[] = []
  const b = broker(t, logs)
  const v5 = Wire.open(t, b) // (connect() adds the v5 property block only for level 5: built by hand)
  v5.write(pkt(0x10, [...str('MQTT'), 0x85, 0x02, ...u16(60), 0, ...str('v5')]))
  await v5.expect(CONNACK_OK[5])
  assert.ok(logs.some((l) => l.startsWith('New client connected from 127.0.0.1:1 as v5 (p5')), logs.join('\n'))
  v5.write(pkt(0x82, [...u16(1), 0, ...str('t/#'), 0]))
  await v5.expect('9004 0001 00 00')
  v5.write(pkt(0x30, [...str('t/own'), 0, ...Buffer.from('x')]))
  await v5.expect(pkt(0x30, [...str('t/own'), 0, ...Buffer.from('x')]), 'its own message: no-local was not asked for')
})

test('a trusted in-process connection is not authenticated (a bridge\'s local side), but its username reaches the ACL', async (t) => {
  const seen: (string | undefined)[] = []
  const b = createBroker({
    hooks: {
      authenticate: () => ({ ok: false, reasonCode: 0x87 }),
      authorizePublish: (info) => { seen.push(info.username); return true },
    },
  })
  t.after(() => b.close())
  const refused = Wire.open(t, b)
  refused.write(connect({ id: 'x' }))
  await refused.expectClose('20020005')
  const { duplexPair } = await import('node:stream')
  const [ours, theirs] = duplexPair()
  t.after(() => { ours.destroy(); theirs.destroy() })
  b.handle(theirs, { trusted: true })
  const got: Buffer[] = []
  ours.on('data', (d: Buffer) => got.push(d))
  ours.write(connect({ id: 'local.bridge', flags: 0x82, rest: str('bridge-user') }))
  ours.write(pkt(0x32, [...str('a/b'), ...u16(7), ...Buffer.from('m')]))
  await new Promise<void>((resolve) => { const check = () => (Buffer.concat(got).length >= 8 ? resolve() : ours.once('data', check)); check() })
  assert.equal(Buffer.concat(got).toString('hex'), '20020000' + '40020007')
  assert.deepEqual(seen, ['bridge-user'])
})
