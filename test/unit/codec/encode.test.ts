// Encoding beyond mqtt-packet (src/codec/encode.ts), exact bytes.
//
// | rule                                                                        | spec                 |
// |-----------------------------------------------------------------------------|----------------------|
// | v5 PUBACK/PUBREC/PUBREL/PUBCOMP: RL 2 for Success without properties, 3 with another code | MQTT 5 §3.4.2.1, §3.5.2.1, §3.6.2.1, §3.7.2.1 |
// | v5 DISCONNECT: RL 0 for Normal disconnection without properties, 1 with a code | MQTT 5 §3.14.2.1 |
// | MQTT 3.1 CONNACK has no session-present flag                               | MQTT 3.1 §3.2        |
// | user properties keep their order, also among the other properties          | [MQTT-3.3.2-18] (v5) |
// | a decoded PUBLISH re-encodes to the same property bytes                    | [MQTT-3.3.2-17] (v5) |
import assert from 'node:assert/strict'
import { test } from 'node:test'
import mqttPacket from 'mqtt-packet'
import { createDecoder, encode, withPropertyOrder, type Packet, type PublishPacket } from '../../../src/codec/index.js'
import { encodeProperties } from '../../../src/codec/property-encode.js'
import { pkt, props, str } from '../../helpers/wire.js'

const hex = (p: Packet, v: 3 | 4 | 5 = 5) => encode(p, v).toString('hex')

test('v5 acknowledgements in the short form [MQTT 5 §3.4.2.1]', () => {
  assert.equal(hex({ cmd: 'puback', messageId: 1 }), '40020001')
  assert.equal(hex({ cmd: 'puback', messageId: 1, reasonCode: 0 }), '40020001')
  assert.equal(hex({ cmd: 'puback', messageId: 0x1234, reasonCode: 0x10 }), '4003123410')
  assert.equal(hex({ cmd: 'pubrec', messageId: 2, reasonCode: 0x87 }), '5003000287')
  assert.equal(hex({ cmd: 'pubrel', messageId: 3 }), '62020003')
  assert.equal(hex({ cmd: 'pubrel', messageId: 3, reasonCode: 0x92 }), '6203000392')
  assert.equal(hex({ cmd: 'pubcomp', messageId: 4 }), '70020004')
  assert.equal(hex({ cmd: 'puback', messageId: 1, properties: {} }), '40020001', 'an empty property object is no property')
  assert.equal(hex({ cmd: 'puback', messageId: 1, reasonCode: 0x80, properties: { reasonString: 'x' } }), '4008000180041f000178', 'with properties: the long form')
  assert.equal(hex({ cmd: 'puback', messageId: 1 }, 4), '40020001')
})

test('v5 DISCONNECT in the short form [MQTT 5 §3.14.2.1]', () => {
  assert.equal(hex({ cmd: 'disconnect' }), 'e000')
  assert.equal(hex({ cmd: 'disconnect', reasonCode: 0 }), 'e000')
  assert.equal(hex({ cmd: 'disconnect', reasonCode: 0x81 }), 'e00181')
  assert.equal(hex({ cmd: 'disconnect', reasonCode: 0x04 }), 'e00104')
  assert.equal(hex({ cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'r' } }), 'e0068e041f000172')
  assert.equal(hex({ cmd: 'disconnect' }, 4), 'e000')
})

test('the MQTT 3.1 CONNACK never sets session present; 3.1.1 does', () => {
  assert.equal(hex({ cmd: 'connack', sessionPresent: true, returnCode: 0 }, 3), '20020000')
  assert.equal(hex({ cmd: 'connack', sessionPresent: true, returnCode: 0 }, 4), '20020100')
})

test('without an order, our property block is the one mqtt-packet writes', () => {
  const p: PublishPacket = {
    cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false,
    properties: {
      payloadFormatIndicator: true, messageExpiryInterval: 70000, contentType: 'c', responseTopic: 'r',
      correlationData: Buffer.from([1, 2]), userProperties: { a: ['1', '2'], b: 'x' }, topicAlias: 3, subscriptionIdentifier: [1, 300],
    },
  }
  const theirs = mqttPacket.generate(p, { protocolVersion: 5 })
  const block = theirs.subarray(2 + 3) // fixed header (2 bytes here), topic "t"
  assert.equal(encodeProperties(p.properties, undefined).toString('hex'), block.toString('hex'))
})

const USER_ORDER = [['a', '1'], 'contentType', ['b', '2'], 'messageExpiryInterval', ['a', '3']] as const
const ORDERED_PROPS = [0x26, ...str('a'), ...str('1'), 0x03, ...str('ct'), 0x26, ...str('b'), ...str('2'), 0x02, 0, 0, 0, 9, 0x26, ...str('a'), ...str('3')]

test('a PUBLISH with an order keeps user properties interleaved with the others [MQTT-3.3.2-18]', () => {
  const properties = withPropertyOrder({ userProperties: { a: ['1', '3'], b: '2' }, contentType: 'ct', messageExpiryInterval: 9 }, USER_ORDER)
  const p: PublishPacket = { cmd: 'publish', topic: 'o/t', payload: Buffer.from('x'), qos: 1, messageId: 7, retain: false, dup: false, properties }
  assert.equal(encode(p, 5).toString('hex'), pkt(0x32, [...str('o/t'), 0, 7, ...props(ORDERED_PROPS), 0x78]).toString('hex'))
})

test('the order is a hint: values come from the object, properties it does not name follow', () => {
  const properties = withPropertyOrder({ userProperties: { a: ['1', '3'], b: '2' }, contentType: 'ct', messageExpiryInterval: 9 }, USER_ORDER)
  const copy = { ...properties, messageExpiryInterval: 4, subscriptionIdentifier: 5 } // a delivery: remaining expiry, sub id
  const p: PublishPacket = { cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, properties: copy }
  const expected = [0x26, ...str('a'), ...str('1'), 0x03, ...str('ct'), 0x26, ...str('b'), ...str('2'), 0x02, 0, 0, 0, 4, 0x26, ...str('a'), ...str('3'), 0x0b, 5]
  assert.equal(encode(p, 5).toString('hex'), pkt(0x30, [...str('t'), ...props(expected)]).toString('hex'))
})

test('CONNECT (and its will), SUBSCRIBE, UNSUBSCRIBE and DISCONNECT follow an order too', () => {
  const order = [['x', '1'], 'sessionExpiryInterval', ['y', '2'], ['x', '3']] as const
  const p = withPropertyOrder({ sessionExpiryInterval: 5, userProperties: { x: ['1', '3'], y: '2' } }, order)
  const userBlock = [0x26, ...str('x'), ...str('1'), 0x11, 0, 0, 0, 5, 0x26, ...str('y'), ...str('2'), 0x26, ...str('x'), ...str('3')]
  const willProps = withPropertyOrder({ userProperties: { w: ['1', '2'], v: '0' } }, [['w', '1'], ['v', '0'], ['w', '2']])
  const willBlock = [0x26, ...str('w'), ...str('1'), 0x26, ...str('v'), ...str('0'), 0x26, ...str('w'), ...str('2')]
  const c = encode({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'id', clean: true, keepalive: 10, properties: p,
    will: { topic: 'w', payload: Buffer.from('p'), qos: 1, retain: false, properties: willProps }, username: 'u',
  }, 5)
  assert.equal(c.toString('hex'), pkt(0x10, [...str('MQTT'), 5, 0x8e, 0, 10, ...props(userBlock), ...str('id'), ...props(willBlock), ...str('w'), ...str('p'), ...str('u')]).toString('hex'))
  const sub = withPropertyOrder({ userProperties: { b: '1', a: '2' } }, [['a', '2'], ['b', '1']])
  const aFirst = [0x26, ...str('a'), ...str('2'), 0x26, ...str('b'), ...str('1')]
  assert.equal(encode({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 't', qos: 1 }], properties: sub }, 5).toString('hex'),
    pkt(0x82, [0, 1, ...props(aFirst), ...str('t'), 1]).toString('hex'))
  assert.equal(encode({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['t'], properties: sub }, 5).toString('hex'),
    pkt(0xa2, [0, 2, ...props(aFirst), ...str('t')]).toString('hex'))
  assert.equal(encode({ cmd: 'disconnect', reasonCode: 4, properties: sub }, 5).toString('hex'), pkt(0xe0, [4, ...props(aFirst)]).toString('hex'))
})

test('the strict decoder keeps the order, so a PUBLISH re-encodes to the bytes received [MQTT-3.3.2-17]', () => {
  const connect = pkt(0x10, [...str('MQTT'), 5, 2, 0, 60, 0, ...str('c')])
  const publish = pkt(0x32, [...str('o/t'), 0, 7, ...props(ORDERED_PROPS), 0x78])
  const got: Packet[] = []
  const d = createDecoder(undefined, (p) => got.push(p), (e) => { throw e }, { strict: true })
  d.push(Buffer.concat([connect, publish]))
  assert.equal(got.length, 2)
  assert.equal(encode(got[1]!, 5).toString('hex'), publish.toString('hex'))
})
