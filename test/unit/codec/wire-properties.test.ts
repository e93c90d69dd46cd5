import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encode, createDecoder, publishWireProperties, orderIsAmbiguous, type Packet } from '../../../src/codec/index.js'
import { PacketFramer } from '../../../src/codec/framer.js'

/** A v5 PUBLISH with user properties a=1, b=2, a=3 in that wire order (mqtt-packet cannot write that order). */
function interleaved(qos: 0 | 1): Buffer {
  const str = (s: string) => { const b = Buffer.from(s); return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]) }
  const up = (k: string, v: string) => Buffer.concat([Buffer.from([0x26]), str(k), str(v)])
  const props = Buffer.concat([Buffer.from([0x03]), str('text/plain'), up('a', '1'), up('b', '2'), up('a', '3'), Buffer.from([0x0b, 0x05])])
  const body = Buffer.concat([str('t/x'), qos ? Buffer.from([0, 7]) : Buffer.alloc(0), Buffer.from([props.length]), props, Buffer.from('payload')])
  return Buffer.concat([Buffer.from([0x30 | (qos << 1), body.length]), body])
}

test('a PUBLISH\'s properties come out in wire order, user-property keys interleaved', () => {
  for (const qos of [0, 1] as const) {
    assert.deepEqual(publishWireProperties(interleaved(qos)), [
      { name: 'contentType', value: 'text/plain' },
      { name: 'userProperty', key: 'a', value: '1' },
      { name: 'userProperty', key: 'b', value: '2' },
      { name: 'userProperty', key: 'a', value: '3' },
      { name: 'subscriptionIdentifier', value: 5 },
    ])
  }
})

test('the decoder with keepRaw hands each packet its own bytes, across chunk boundaries', () => {
  const packets: [Packet, Buffer | undefined][] = []
  const d = createDecoder(5, (p, raw) => packets.push([p, raw]), (e) => { throw e }, { keepRaw: true })
  const a = interleaved(1)
  const b = encode({ cmd: 'pingresp' }, 5)
  const all = Buffer.concat([a, b, a])
  for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3))
  assert.deepEqual(packets.map(([p]) => p.cmd), ['publish', 'pingresp', 'publish'])
  assert.deepEqual(packets[0]![1], a)
  assert.deepEqual(packets[1]![1], b)
  const [first] = packets[0]!
  assert.ok(first.cmd === 'publish' && orderIsAmbiguous(first.properties), 'a repeated key makes the object ambiguous')
})

test('the framer refuses a remaining length longer than four bytes [MQTT-1.5.5-1]', () => {
  assert.throws(() => new PacketFramer().push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])))
  assert.deepEqual(new PacketFramer().push(Buffer.from([0x30, 0x80])), [], 'incomplete header: wait for more')
})
