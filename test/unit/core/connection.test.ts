// PacketConnection (src/core/connection.ts): packets in, one close report, a refused packet as a ProtocolError,
// and stream listeners shared by every connection (an idle broker connection keeps no closures of its own).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { PacketConnection, type ConnectionHandlers } from '../../../src/core/connection.js'
import { encode, type Packet } from '../../../src/codec/index.js'
import { ProtocolError } from '../../../src/core/errors.js'

function recorder() {
  const packets: Packet[] = []
  const closes: (Error | undefined)[] = []
  const invalid: ProtocolError[] = []
  let bytes = 0
  const on: ConnectionHandlers = {
    packet: (p) => { packets.push(p) },
    close: (r) => { closes.push(r) },
    bytesIn: (n) => { bytes += n },
    invalid: (e) => { invalid.push(e) },
  }
  return { on, packets, closes, invalid, bytes: () => bytes }
}

test('packets in, bytes counted, a half-closed peer destroys the stream and close is reported once', async () => {
  const stream = new PassThrough()
  const r = recorder()
  const conn = new PacketConnection(stream, r.on, 4)
  const ping = encode({ cmd: 'pingreq' }, 4)
  stream.write(Buffer.concat([ping, ping]))
  await new Promise((done) => setImmediate(done))
  assert.deepEqual(r.packets.map((p) => p.cmd), ['pingreq', 'pingreq'])
  assert.equal(r.bytes(), 4)
  stream.end() // 'end' on the readable side: the peer is gone
  await new Promise((done) => stream.once('close', done))
  assert.ok(conn.closed)
  stream.emit('close') // a stream that emits close again is still reported once
  assert.deepEqual(r.closes, [undefined])
})

test('a packet the decoder refuses goes to invalid() as a ProtocolError with its reason code', async () => {
  const stream = new PassThrough()
  const r = recorder()
  new PacketConnection(stream, r.on, 4)
  stream.write(Buffer.from([0x00, 0x00])) // packet type 0 is reserved
  await new Promise((done) => setImmediate(done))
  assert.equal(r.invalid.length, 1)
  assert.ok(r.invalid[0] instanceof ProtocolError)
  assert.equal(r.packets.length, 0)
})

test('every connection\'s stream gets the same listener functions: nothing per connection but the connection itself', () => {
  const [a, b] = [new PassThrough(), new PassThrough()]
  new PacketConnection(a, recorder().on, 4, { batchWrites: true })
  new PacketConnection(b, recorder().on, 4, { batchWrites: true })
  for (const event of ['data', 'error', 'close', 'end']) {
    assert.equal(a.listeners(event).length, b.listeners(event).length, event)
    assert.ok(a.listeners(event).every((f, i) => f === b.listeners(event)[i]), `${event} listeners are shared`)
  }
})
