import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PacketIdAllocator } from '../../../src/core/packet-ids.js'

test('packet ids start at 1 and never hand out 0 [MQTT-2.2.1-3]', () => {
  const a = new PacketIdAllocator()
  assert.equal(a.allocate(), 1)
  assert.equal(a.allocate(), 2)
})

test('packet ids wrap from 65535 to 1 and skip ids still in use', () => {
  const a = new PacketIdAllocator()
  for (let i = 1; i <= 65534; i++) a.release(a.allocate()!)
  assert.equal(a.allocate(), 65535) // still held
  a.reserve(1)
  assert.equal(a.allocate(), 2, 'wraps past 65535, skipping 1 which is in use')
})

test('when all 65535 ids are in use, allocate returns undefined', () => {
  const a = new PacketIdAllocator()
  for (let i = 0; i < 65535; i++) assert.notEqual(a.allocate(), undefined)
  assert.equal(a.allocate(), undefined)
  a.release(300)
  assert.equal(a.allocate(), 300)
})

test('nextFree numbers a QoS 0 publish like allocate would, skipping ids in use, and keeps nothing in use', () => {
  const ids = new PacketIdAllocator()
  assert.equal(ids.allocate(), 1)
  assert.equal(ids.nextFree(), 2)
  assert.equal(ids.size, 1, 'only the allocated id is in use')
  ids.reserve(3)
  assert.equal(ids.nextFree(), 4, 'an id in use is skipped')
  assert.equal(ids.allocate(), 5, 'the cursor moved on, as with allocate() then release()')
  for (let i = 6; i <= 65535; i++) ids.reserve(i)
  ids.reserve(2); ids.reserve(4)
  assert.equal(ids.nextFree(), 0, 'every id in use: 0, as libmosquitto shows it')
})
