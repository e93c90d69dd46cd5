import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createDecoder, encode, type Packet } from '../../../src/codec/index.js'
import { puback, disconnect } from '../../../src/codec/packets.js'
import { reasonName, connackV3Name, v5ToV3Connack } from '../../../src/codec/reason-codes.js'

function roundTrip(p: Packet, v: 3 | 4 | 5): Packet[] {
  const out: Packet[] = []
  const d = createDecoder(v, (x) => out.push(x), (e) => { throw e })
  d.push(encode(p, v))
  return out
}

test('a PUBLISH survives encode/decode byte for byte, binary payload included', () => {
  const payload = Buffer.from([0, 1, 2, 255, 10, 13, 0])
  const [p] = roundTrip({ cmd: 'publish', topic: 'a/b', payload, qos: 1, messageId: 7, retain: true, dup: false }, 4)
  assert.ok(p && p.cmd === 'publish')
  assert.deepEqual(Buffer.from(p.payload as Buffer), payload)
  assert.equal(p.messageId, 7)
  assert.equal(p.retain, true)
})

test('a v5 PUBACK keeps its reason code and reason string; v3.1.1 drops them', () => {
  const v5 = encode(puback(3, 0x87, 'nope'), 5)
  const [p] = roundTrip(puback(3, 0x87, 'nope'), 5)
  assert.ok(p && p.cmd === 'puback')
  assert.equal(p.reasonCode, 0x87)
  assert.equal(p.properties?.reasonString, 'nope')
  assert.equal(encode(puback(3, 0x87), 4).length, 4)
  assert.ok(v5.length > 4)
})

test('the decoder reports a malformed packet once and then ignores input', () => {
  const errors: Error[] = []
  const d = createDecoder(4, () => assert.fail('no packet expected'), (e) => errors.push(e))
  d.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])) // remaining length over 4 bytes
  d.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))
  assert.equal(errors.length, 1)
})

test('a broker-side decoder learns the version from CONNECT', () => {
  const out: Packet[] = []
  const d = createDecoder(undefined, (x) => out.push(x), (e) => { throw e })
  d.push(encode({ cmd: 'connect', clientId: 'c', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 10 }, 5))
  d.push(encode(disconnect(0x04), 5))
  assert.equal(out[1]?.cmd, 'disconnect')
  assert.equal((out[1] as { reasonCode?: number }).reasonCode, 0x04)
})

test('reason codes read as mosquitto prints them', () => {
  assert.equal(reasonName(135), 'Not authorized')
  assert.equal(reasonName(150), 'Message rate too high')
  assert.equal(reasonName(3), 'Unknown reason')
  assert.equal(connackV3Name(5), 'Connection Refused: not authorised.')
  assert.equal(connackV3Name(132), 'Connection Refused: unknown reason.')
  assert.equal(v5ToV3Connack(134), 4)
  assert.equal(v5ToV3Connack(135), 5)
})
