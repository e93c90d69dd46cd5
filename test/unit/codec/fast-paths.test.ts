// The MQTT 3.1/3.1.1 fast paths (fast-decode.ts, encode.ts's publish311) must agree with mqtt-packet byte
// for byte and field for field; anything unusual must fall back to mqtt-packet.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import mqttPacket from 'mqtt-packet'
import { createDecoder, encode, type Packet } from '../../../src/codec/index.js'
import { fastDecode } from '../../../src/codec/fast-decode.js'
import { seededRandom } from '../../helpers/random.js'


function cases(): Packet[] {
  const rnd = seededRandom(7)
  const out: Packet[] = []
  for (let i = 0; i < 300; i++) {
    const qos = Math.floor(rnd() * 3) as 0 | 1 | 2
    const topic = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => ['a', 'ü', 'x'.repeat(Math.floor(rnd() * 200)), '€', ''][Math.floor(rnd() * 5)]).join('/') || 't'
    const size = [0, 1, 127, 128, 16383, 16384, 70000][Math.floor(rnd() * 7)]!
    out.push({ cmd: 'publish', topic, payload: Buffer.alloc(size, Math.floor(rnd() * 256)), qos, retain: rnd() < 0.5, dup: qos > 0 && rnd() < 0.5, ...(qos > 0 ? { messageId: 1 + Math.floor(rnd() * 65535) } : {}) } as Packet)
  }
  for (const cmd of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const) for (const messageId of [1, 255, 256, 65535]) out.push({ cmd, messageId })
  return out
}

function replies(version: 3 | 4): Packet[] {
  return [
    ...[0, 1, 2, 3, 4, 5].map((returnCode) => ({ cmd: 'connack', sessionPresent: version === 4 && returnCode === 0, returnCode }) as Packet),
    { cmd: 'suback', messageId: 7, granted: [0, 1, 2, 128] }, { cmd: 'suback', messageId: 65535, granted: [1] },
  ]
}

for (const version of [3, 4] as const) {
  test(`v${version === 3 ? '3.1' : '3.1.1'}: the fast encoder writes the bytes mqtt-packet writes (300 seeded PUBLISHes, every ack, CONNACK, SUBACK)`, () => {
    for (const p of [...cases(), ...replies(version)]) assert.deepEqual(encode(p, version), mqttPacket.generate(p, { protocolVersion: version }), JSON.stringify({ ...p, payload: undefined }))
  })

  test(`v${version === 3 ? '3.1' : '3.1.1'}: the fast decoder reads what mqtt-packet reads, through a decoder fed in odd-sized chunks`, () => {
    const all = cases()
    const wire = Buffer.concat(all.map((p) => mqttPacket.generate(p, { protocolVersion: version })))
    const got: Packet[] = []
    const d = createDecoder(version, (p) => got.push(p), (e) => { throw e })
    for (let at = 0, n = 1; at < wire.length; at += n, n = (n * 7) % 5003 + 1) d.push(wire.subarray(at, at + n))
    const expected: Packet[] = []
    const parser = mqttPacket.parser({ protocolVersion: version })
    parser.on('packet', (p: Packet) => expected.push(p))
    parser.parse(wire)
    assert.equal(got.length, all.length)
    got.forEach((p, i) => assert.deepEqual({ ...p }, { ...expected[i]! }, `packet ${i}`))
  })
}

test('unusual packets are left to mqtt-packet: QoS 3, wrong ack flags, a long ack, a PUBLISH cut short', () => {
  const publish = mqttPacket.generate({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as Packet, { protocolVersion: 4 })
  const qos3 = Buffer.from(publish)
  qos3[0] = 0x36
  assert.equal(fastDecode(qos3, 0, qos3.length), undefined)
  assert.equal(fastDecode(Buffer.from([0x41, 2, 0, 1]), 0, 4), undefined, 'PUBACK flags must be 0')
  assert.equal(fastDecode(Buffer.from([0x60, 2, 0, 1]), 0, 4), undefined, 'PUBREL flags must be 2')
  assert.equal(fastDecode(Buffer.from([0x40, 3, 0, 1, 0]), 0, 5), undefined, 'an ack with a reason code is MQTT 5')
  assert.equal(fastDecode(Buffer.from([0x30, 3, 0, 9, 0x61]), 0, 5), undefined, 'a topic longer than the packet')
  assert.equal(fastDecode(Buffer.from([0xc1, 0]), 0, 2), undefined, 'PINGREQ flags must be 0')
})
