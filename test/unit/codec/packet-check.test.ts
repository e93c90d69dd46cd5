// The broker decoder's strict checks on raw bytes (src/codec/packet-check.ts), one table row per rule.
//
// | rule                                                                  | spec                          |
// |-----------------------------------------------------------------------|-------------------------------|
// | ill-formed UTF-8 / U+0000 in any string is malformed                   | [MQTT-1.5.3-1/2] (3.1.1), [MQTT-1.5.4-1/2] (v5) |
// | unknown protocol name: malformed (close); unsupported level: 0x84      | [MQTT-3.1.2-1], [MQTT-3.1.2-2] (3.1.1, v5) |
// | reserved CONNECT flag, will QoS/retain without will, will QoS 3        | [MQTT-3.1.2-3], [MQTT-3.1.2-11/13/14/15] (3.1.1) |
// | password without user name (3.1, 3.1.1; allowed in v5)                | [MQTT-3.1.2-22] (3.1.1)       |
// | bytes after the CONNECT payload (a user name without its flag)        | [MQTT-3.1.2-18] (3.1.1)       |
// | duplicated property: protocol error; property not for the packet: malformed | MQTT 5 §2.2.2.2      |
// | Receive Maximum 0, Maximum Packet Size 0, Subscription Identifier 0    | MQTT 5 §3.1.2.11.3/4, §3.8.2.1.2 |
// | packet identifier 0 (PUBLISH QoS>0, SUBSCRIBE, UNSUBSCRIBE, acks)      | [MQTT-2.3.1-1] (3.1.1), [MQTT-2.2.1-3] (v5) |
// | SUBSCRIBE / UNSUBSCRIBE without a filter                               | [MQTT-3.8.3-3], [MQTT-3.10.3-2] (3.1.1); [MQTT-3.8.3-2], [MQTT-3.10.3-2] (v5) |
// | Subscription Identifier in a client's PUBLISH                          | [MQTT-3.3.4-6] (v5)           |
// | Response Topic with a wildcard                                        | [MQTT-3.3.2-14] (v5)          |
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPacket } from '../../../src/codec/packet-check.js'
import { PacketError } from '../../../src/codec/reader.js'
import type { ProtocolVersion } from '../../../src/codec/index.js'
import { connect, pkt, props, str } from '../../helpers/wire.js'

const BAD = [0x61, 0xff] // "a" + a byte that is never UTF-8
const NUL = [0x61, 0x00]
const SURROGATE = [0xed, 0xa0, 0x80]
const OK = 'ok' as const

type Row = [name: string, version: ProtocolVersion | undefined, bytes: Buffer, expected: number | typeof OK]
const rows: Row[] = [
  ['3.1.1 CONNECT', undefined, connect(), OK],
  ['v5 CONNECT with properties', undefined, connect({ level: 5, properties: [0x11, 0, 0, 0, 9, 0x21, 0, 5, 0x26, ...str('k'), ...str('v')] }), OK],
  ['3.1 CONNECT (MQIsdp 3)', undefined, connect({ level: 3 }), OK],
  ['bridge bit on the level', undefined, connect({ level: 0x84 }), OK],
  ['client id not UTF-8 [MQTT-1.5.3-1]', undefined, connect({ id: Buffer.from(BAD) }), 0x81],
  ['client id with U+0000 [MQTT-1.5.3-2]', undefined, connect({ id: Buffer.from(NUL) }), 0x81],
  ['client id with an encoded surrogate [MQTT-1.5.4-1]', undefined, connect({ level: 5, id: Buffer.from(SURROGATE) }), 0x81],
  ['client id with U+FFFD is fine', undefined, connect({ id: Buffer.from('d\uFFFD') }), OK],
  ['user name not UTF-8', undefined, connect({ flags: 0x82, rest: str(BAD) }), 0x81],
  ['will topic with U+0000', undefined, connect({ flags: 0x06, rest: [...str(NUL), ...str('p')] }), 0x81],
  ['protocol name MQTX [MQTT-3.1.2-1]', undefined, connect({ name: 'MQTX' }), 0x81],
  ['MQTT level 6 [MQTT-3.1.2-2]', undefined, connect({ level: 6 }), 0x84],
  ['MQTT level 3', undefined, connect({ name: 'MQTT', level: 3 }), 0x84],
  ['MQIsdp level 4', undefined, connect({ name: 'MQIsdp', level: 4 }), 0x84],
  ['reserved flag [MQTT-3.1.2-3]', undefined, connect({ flags: 0x03 }), 0x81],
  ['will QoS without will [MQTT-3.1.2-13]', undefined, connect({ flags: 0x0a }), 0x81],
  ['will retain without will [MQTT-3.1.2-15]', undefined, connect({ flags: 0x22 }), 0x81],
  ['will QoS 3 [MQTT-3.1.2-14]', undefined, connect({ flags: 0x1e, rest: [...str('w'), ...str('p')] }), 0x81],
  ['3.1.1 password without user name [MQTT-3.1.2-22]', undefined, connect({ flags: 0x42, rest: str('pw') }), 0x81],
  ['3.1 password without user name', undefined, connect({ level: 3, flags: 0x42, rest: str('pw') }), 0x81],
  ['v5 password without user name is allowed', undefined, connect({ level: 5, flags: 0x42, rest: str('pw') }), OK],
  ['user name without its flag [MQTT-3.1.2-18]', undefined, connect({ rest: str('user') }), 0x81],
  ['v5 CONNECT duplicated Session Expiry', undefined, connect({ level: 5, properties: [0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 1] }), 0x82],
  ['v5 Receive Maximum 0', undefined, connect({ level: 5, properties: [0x21, 0, 0] }), 0x82],
  ['v5 Maximum Packet Size 0', undefined, connect({ level: 5, properties: [0x27, 0, 0, 0, 0] }), 0x82],
  ['v5 Request Problem Information 2', undefined, connect({ level: 5, properties: [0x17, 2] }), 0x82],
  ['v5 Authentication Data without Method', undefined, connect({ level: 5, properties: [0x16, ...str('x')] }), 0x82],
  ['v5 Topic Alias in CONNECT properties', undefined, connect({ level: 5, properties: [0x23, 0, 1] }), 0x81],
  ['v5 user property value not UTF-8 [MQTT-1.5.7-1]', undefined, connect({ level: 5, properties: [0x26, ...str('k'), ...str(BAD)] }), 0x81],
  ['v5 property block past the end', undefined, connect({ level: 5, properties: [0x11, 0, 0] }), 0x81],
  ['v5 will properties duplicated', undefined, connect({ level: 5, flags: 0x06, rest: [...props([0x01, 0, 0x01, 1]), ...str('w'), ...str('p')] }), 0x82],
  ['v5 will with Will Delay, fine', undefined, connect({ level: 5, flags: 0x06, rest: [...props([0x18, 0, 0, 0, 5]), ...str('w'), ...str('p')] }), OK],
  ['PUBLISH QoS 0', 4, pkt(0x30, [...str('a/b'), 0x78]), OK],
  ['PUBLISH topic not UTF-8 [MQTT-3.3.2-1]', 4, pkt(0x30, [...str(BAD), 0x78]), 0x81],
  ['PUBLISH QoS 1 packet id 0 [MQTT-2.3.1-1]', 4, pkt(0x32, [...str('t'), 0, 0, 0x78]), 0x82],
  ['PUBLISH QoS 2 packet id 0 [MQTT-2.2.1-3]', 5, pkt(0x34, [...str('t'), 0, 0, 0, 0x78]), 0x82],
  ['v5 PUBLISH without its property block', 5, pkt(0x30, [...str('t')]), 0x81],
  ['v5 PUBLISH duplicated Content Type', 5, pkt(0x30, [...str('t'), ...props([0x03, ...str('a'), 0x03, ...str('b')])]), 0x82],
  ['v5 PUBLISH two user properties with one key, fine', 5, pkt(0x30, [...str('t'), ...props([0x26, ...str('k'), ...str('1'), 0x26, ...str('k'), ...str('2')])]), OK],
  ['v5 PUBLISH Subscription Identifier [MQTT-3.3.4-6]', 5, pkt(0x32, [...str('t'), 0, 1, ...props([0x0b, 1])]), 0x82],
  ['v5 PUBLISH Session Expiry (not a PUBLISH property)', 5, pkt(0x30, [...str('t'), ...props([0x11, 0, 0, 0, 1])]), 0x81],
  ['v5 PUBLISH Response Topic with # [MQTT-3.3.2-14]', 5, pkt(0x30, [...str('t'), ...props([0x08, ...str('r/#')])]), 0x81],
  ['v5 PUBLISH Content Type not UTF-8', 5, pkt(0x30, [...str('t'), ...props([0x03, ...str(BAD)])]), 0x81],
  ['SUBSCRIBE', 4, pkt(0x82, [0, 1, ...str('a/#'), 1]), OK],
  ['SUBSCRIBE packet id 0 [MQTT-2.3.1-1]', 4, pkt(0x82, [0, 0, ...str('a'), 0]), 0x82],
  ['SUBSCRIBE without filters [MQTT-3.8.3-3]', 4, pkt(0x82, [0, 1]), 0x82],
  ['v5 SUBSCRIBE without filters [MQTT-3.8.3-2]', 5, pkt(0x82, [0, 1, 0]), 0x82],
  ['SUBSCRIBE filter not UTF-8 [MQTT-3.8.3-1]', 4, pkt(0x82, [0, 1, ...str(BAD), 0]), 0x81],
  ['SUBSCRIBE filter without its options byte', 4, pkt(0x82, [0, 1, ...str('a')]), 0x81],
  ['v5 SUBSCRIBE Subscription Identifier 0', 5, pkt(0x82, [0, 1, ...props([0x0b, 0]), ...str('a'), 0]), 0x82],
  ['v5 SUBSCRIBE two Subscription Identifiers', 5, pkt(0x82, [0, 1, ...props([0x0b, 1, 0x0b, 2]), ...str('a'), 0]), 0x82],
  ['UNSUBSCRIBE', 4, pkt(0xa2, [0, 1, ...str('a')]), OK],
  ['UNSUBSCRIBE packet id 0', 4, pkt(0xa2, [0, 0, ...str('a')]), 0x82],
  ['UNSUBSCRIBE without filters [MQTT-3.10.3-2]', 5, pkt(0xa2, [0, 1, 0]), 0x82],
  ['UNSUBSCRIBE filter with U+0000 [MQTT-3.10.3-1]', 4, pkt(0xa2, [0, 1, ...str(NUL)]), 0x81],
  ['v5 UNSUBSCRIBE Subscription Identifier (not allowed)', 5, pkt(0xa2, [0, 1, ...props([0x0b, 1]), ...str('a')]), 0x81],
  ['PUBACK packet id 0 (mosquitto closes too)', 4, pkt(0x40, [0, 0]), 0x82],
  ['v5 PUBACK short forms', 5, pkt(0x40, [0, 1]), OK],
  ['v5 PUBREC with a Reason String', 5, pkt(0x50, [0, 1, 0x10, ...props([0x1f, ...str('why')])]), OK],
  ['v5 PUBCOMP with a bad Reason String', 5, pkt(0x70, [0, 1, 0, ...props([0x1f, ...str(BAD)])]), 0x81],
  ['v5 DISCONNECT with Session Expiry', 5, pkt(0xe0, [0, ...props([0x11, 0, 0, 0, 0])]), OK],
  ['v5 DISCONNECT duplicated Reason String', 5, pkt(0xe0, [0, ...props([0x1f, ...str('a'), 0x1f, ...str('b')])]), 0x82],
]

for (const [name, version, bytes, expected] of rows) {
  test(`${name}: ${expected === OK ? 'accepted' : `refused 0x${expected.toString(16)}`}`, () => {
    if (expected === OK) { checkPacket(bytes, version); return }
    assert.throws(() => checkPacket(bytes, version), (e: unknown) => e instanceof PacketError && e.reasonCode === expected)
  })
}

test('the wire order of user properties among the others is reported for PUBLISH and the will', () => {
  const publish = pkt(0x30, [...str('t'), ...props([0x26, ...str('a'), ...str('1'), 0x03, ...str('ct'), 0x26, ...str('b'), ...str('2'), 0x02, 0, 0, 0, 9, 0x26, ...str('a'), ...str('3')]), 0x78])
  assert.deepEqual(checkPacket(publish, 5)?.order, [['a', '1'], 'contentType', ['b', '2'], 'messageExpiryInterval', ['a', '3']])
  assert.equal(checkPacket(pkt(0x30, [...str('t'), ...props([0x03, ...str('ct')])]), 5), undefined, 'no user property: nothing to keep')
  const c = connect({ level: 5, flags: 0x06, rest: [...props([0x26, ...str('k'), ...str('v'), 0x01, 1]), ...str('w'), ...str('p')] })
  assert.deepEqual(checkPacket(c, undefined), { version: 5, willOrder: [['k', 'v'], 'payloadFormatIndicator'] })
})
