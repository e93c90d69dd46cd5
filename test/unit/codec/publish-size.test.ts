// publishSize counts what encode() writes, so the client's Maximum Packet Size check is exact.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encode, withPropertyOrder, type ProtocolVersion, type PublishPacket } from '../../../src/codec/index.js'
import { publishSize } from '../../../src/codec/publish-size.js'

const base = (o: Partial<PublishPacket>): PublishPacket => ({ cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, ...o })

test('publishSize equals the encoded length: QoS, UTF-8 topics, payloads across the varint steps, v3/v4/v5', () => {
  const sizes = [0, 1, 120, 127, 128, 16_380, 16_384, 20_000, 2_097_152]
  for (const version of [3, 4, 5] as ProtocolVersion[]) {
    for (const qos of [0, 1, 2] as const) {
      for (const n of sizes) {
        const p = base({ topic: 'sensör/ü/€', payload: Buffer.alloc(n, 1), qos, ...(qos > 0 ? { messageId: 9 } : {}) })
        assert.equal(publishSize(p, version), encode(p, version).length, `v${version} q${qos} ${n} bytes`)
      }
    }
  }
})

test('publishSize counts v5 properties, ordered or not, repeated user properties and an empty block', () => {
  const props: PublishPacket['properties'] = {
    messageExpiryInterval: 60, contentType: 'text/plain', correlationData: Buffer.from([1, 2]), responseTopic: 'r/1',
    payloadFormatIndicator: true, topicAlias: 3, userProperties: { k: ['1', '3'], j: '2' },
  }
  const cases: PublishPacket[] = [
    base({ properties: {} }),
    base({ properties: props, qos: 1, messageId: 1, payload: 'text payload' }),
    base({ properties: withPropertyOrder({ ...props }, ['contentType', ['k', '1'], 'messageExpiryInterval', ['j', '2'], ['k', '3']]), payload: Buffer.alloc(200) }),
  ]
  for (const p of cases) assert.equal(publishSize(p, 5), encode(p, 5).length)
  // over 3.1.1 the properties are not written
  assert.equal(publishSize(cases[1]!, 4), encode(cases[1]!, 4).length)
})
