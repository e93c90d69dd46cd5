// Packet-level differential: the same bytes to the real mosquitto 2.0 and to tsbroker, over raw sockets; both
// must answer the same bytes and both close (or both stay open). Every script ends with PINGREQ, so "still
// open" is a PINGRESP, not a timeout. These are the rules where issue 9/10 says "as mosquitto does".
//
// Deliberate differences, not in the table (each tested at the packet level in test/integration/broker/strict-*):
// | case                                              | mosquitto 2.0.11         | tsbroker                         |
// |---------------------------------------------------|--------------------------|----------------------------------|
// | v5 SUBSCRIBE/UNSUBSCRIBE with packet id 0 or no filter | DISCONNECT 0x81     | 0x82 (MQTT 5 calls them protocol errors) |
// | v5 malformed filter in SUBSCRIBE/UNSUBSCRIBE      | DISCONNECT 0x81          | SUBACK/UNSUBACK 0x8F (issue 9)   |
// | v5 duplicated property, bad string in a property  | close, no DISCONNECT     | DISCONNECT 0x82 / 0x81           |
// | v5 topic alias 0 / never set                       | DISCONNECT 0x81 / 0x82   | 0x94 (issue 9)                   |
// | v5 second CONNECT                                  | close                    | DISCONNECT 0x82, close           |
// | topic of 201 levels                                | accepted (200 separators) | refused (200 levels)            |
// | SUBSCRIBE the ACL can never serve                  | granted                  | 0x80 / 0x87 (issue 9)            |
// | v5 Subscription Identifier in a client's PUBLISH   | accepted                 | DISCONNECT 0x82 [MQTT-3.3.4-6]   |
// | control characters / non-characters in strings     | close                    | accepted (MQTT: SHOULD NOT only) |
import assert from 'node:assert/strict'
import net from 'node:net'
import { test, type TestContext } from 'node:test'
import { createBroker } from '../../src/broker/broker.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { connect, pkt, str } from '../helpers/wire.js'

const skip = mosquittoMissing()
const PING = Buffer.from([0xc0, 0])

/** `reset`: the close came as ECONNRESET, which can discard bytes the broker wrote just before it. */
interface Outcome { bytes: string; closed: boolean; reset: boolean }

/** Send `script` + PINGREQ over TCP; collect what comes back until PINGRESP or the close. */
async function exchange(port: number, script: Buffer[]): Promise<Outcome> {
  const s = net.connect({ port, host: '127.0.0.1' })
  await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject))
  let got = Buffer.alloc(0)
  let reset = false
  return new Promise<Outcome>((resolve, reject) => {
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`neither PINGRESP nor a close; got ${got.toString('hex')}`)) }, 5000)
    const done = (closed: boolean) => { clearTimeout(timer); s.destroy(); resolve({ bytes: got.toString('hex'), closed, reset }) }
    s.on('data', (d: Buffer) => { got = Buffer.concat([got, d]); if (got.subarray(-2).equals(Buffer.from([0xd0, 0]))) done(false) })
    s.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'ECONNRESET') reset = true })
    s.on('close', () => done(true))
    for (const b of script) s.write(b)
    s.write(PING)
  })
}

const DEEP = Array.from({ length: 202 }, () => 'a').join('/')
const v4 = (id: string) => connect({ id })
const v5 = (id: string) => connect({ level: 5, id })

const cases: ReadonlyArray<[name: string, script: Buffer[]]> = [
  ['[MQTT-3.1.2-2] MQTT level 6', [connect({ level: 6 })]],
  ['[MQTT-3.1.2-2] MQIsdp level 4', [connect({ name: 'MQIsdp', level: 4 })]],
  ['[MQTT-3.1.2-1] protocol name MQTX', [connect({ name: 'MQTX' })]],
  ['[MQTT-3.1.2-22] 3.1.1 password without user name', [connect({ flags: 0x42, rest: str('pw') })]],
  ['[MQTT-3.1.2-18] 3.1.1 user name without its flag', [connect({ rest: str('user') })]],
  ['[MQTT-3.1.2-3] v5 reserved flag', [connect({ level: 5, flags: 0x03 })]],
  ['[MQTT-1.5.3-1] 3.1.1 client id not UTF-8', [connect({ id: Buffer.from([0x64, 0xff]) })]],
  ['[MQTT-1.5.4-2] v5 client id with U+0000', [connect({ level: 5, id: Buffer.from([0x64, 0]) })]],
  ['[MQTT-1.5.4-1] v5 will topic with a surrogate', [connect({ level: 5, flags: 0x06, rest: [0, ...str([0x61, 0xed, 0xa0, 0x80]), ...str('p')] })]],
  ['[MQTT-1.5.3-1] 3.1.1 user name not UTF-8', [connect({ flags: 0x82, rest: str([0xc0, 0x80]) })]],
  ['v5 Maximum Packet Size 0', [connect({ level: 5, properties: [0x27, 0, 0, 0, 0] })]],
  ['v5 Receive Maximum 0', [connect({ level: 5, properties: [0x21, 0, 0] })]],
  ['v5 Session Expiry Interval twice', [connect({ level: 5, properties: [0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 1] })]],
  ['[MQTT-4.12.0-1] v5 unsupported Authentication Method', [connect({ level: 5, properties: [0x15, ...str('SCRAM-SHA-1')] })]],
  ['[MQTT-2.3.1-1] 3.1.1 PUBLISH QoS 1 packet id 0', [v4('d1'), pkt(0x32, [...str('t'), 0, 0, 0x78])]],
  ['[MQTT-2.2.1-3] v5 PUBLISH QoS 2 packet id 0', [v5('d2'), pkt(0x34, [...str('t'), 0, 0, 0, 0x78])]],
  ['[MQTT-2.3.1-1] 3.1.1 SUBSCRIBE packet id 0', [v4('d3'), pkt(0x82, [0, 0, ...str('t'), 0])]],
  ['[MQTT-3.8.3-3] 3.1.1 SUBSCRIBE without a filter', [v4('d4'), pkt(0x82, [0, 1])]],
  ['[MQTT-3.10.3-2] 3.1.1 UNSUBSCRIBE without a filter', [v4('d5'), pkt(0xa2, [0, 1])]],
  ['[MQTT-1.5.3-1] 3.1.1 topic name not UTF-8', [v4('d6'), pkt(0x30, [...str([0x61, 0xff]), 0x78])]],
  ['[MQTT-1.5.4-2] v5 topic name with U+0000', [v5('d7'), pkt(0x32, [...str([0x61, 0]), 0, 1, 0, 0x78])]],
  ['[MQTT-1.5.3-1] 3.1.1 filter not UTF-8', [v4('d8'), pkt(0x82, [0, 1, ...str([0x61, 0xff]), 0])]],
  ['[MQTT-4.7.1-2] 3.1.1 misplaced # in SUBSCRIBE', [v4('d9'), pkt(0x82, [0, 1, ...str('a/#/b'), 0])]],
  ['[MQTT-4.7.1-3] 3.1.1 misplaced + in UNSUBSCRIBE', [v4('d10'), pkt(0xa2, [0, 1, ...str('a+')])]],
  ['PUBACK of packet id 0', [v4('d11'), pkt(0x40, [0, 0])]],
  ['v5 empty topic without a topic alias', [v5('d12'), pkt(0x32, [...str(''), 0, 1, 0, 0x78])]],
  ['[MQTT-3.3.2-9] v5 topic alias above the maximum', [v5('d13'), pkt(0x30, [...str('t'), 3, 0x23, 0, 11, 0x78])]],
  ['3.1.1 PUBLISH of 202 levels', [v4('d14'), pkt(0x32, [...str(DEEP), 0, 1, 0x78])]],
  ['3.1.1 SUBSCRIBE to 202 levels', [v4('d15'), pkt(0x82, [0, 1, ...str(DEEP), 0])]],
  ['3.1.1 PUBLISH to $SYS: acknowledged, dropped', [v4('d16'), pkt(0x32, [...str('$SYS/broker/version'), 0, 1, 0x78])]],
  ['v5 PUBLISH QoS 1 to $SYS, $SYSfoo, $share: 0x87', [v5('d17'), ...['$SYS', '$SYSfoo', '$share/g/t'].map((t, i) => pkt(0x32, [...str(t), 0, i + 1, 0, 0x78]))]],
  ['v5 PUBLISH QoS 1 to a bridge state topic: no subscribers', [v5('d18'), pkt(0x32, [...str('$SYS/broker/connection/x/state'), 0, 1, 0, 0x31])]],
  ['3.1.1 will on $SYS: accepted', [connect({ flags: 0x26, id: 'd19', rest: [...str('$SYS/broker/version'), ...str('x')] })]],
  ['v5 QoS 1 PUBLISH, nobody subscribed: PUBACK 0x10 in the short form', [v5('d20'), pkt(0x32, [...str('nobody'), 0, 5, 0, 0x78])]],
]

test('strict packets: tsbroker answers what mosquitto 2.0 answers, byte for byte', { skip }, async (t: TestContext) => {
  const mosquitto = await startMosquitto(t)
  const broker = createBroker()
  t.after(() => broker.close())
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const differences: string[] = []
  for (const [name, script] of cases) {
    // A broker that closes on a bad packet closes with our PINGREQ still unread, so the kernel resets the
    // connection, and a reset can discard the last packet the broker wrote before it (seen once in CI:
    // mosquitto's DISCONNECT 0x94 missing). A difference where either side was reset is asked again, at most
    // three times in all; any other difference counts at once.
    for (let attempt = 1; ; attempt++) {
      const [theirs, ours] = [await exchange(mosquitto.port, script), await exchange(port, script)]
      if (theirs.bytes === ours.bytes && theirs.closed === ours.closed) break
      if (attempt === 3 || !(theirs.reset || ours.reset)) {
        differences.push(`${name}: mosquitto ${theirs.bytes || '-'}${theirs.closed ? ' close' : ''}, tsbroker ${ours.bytes || '-'}${ours.closed ? ' close' : ''}`)
        break
      }
    }
  }
  assert.deepEqual(differences, [])
})
