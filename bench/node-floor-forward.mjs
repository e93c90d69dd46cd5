#!/usr/bin/env node
// The floor of message forwarding on node:net, for the fixed-rate scenarios (lat0, lat1): CONNECT gets a
// fixed CONNACK, SUBSCRIBE a SUBACK granting QoS 1, and every PUBLISH goes out byte for byte to every
// subscriber (QoS 1: the publisher's packet id kept, a PUBACK back to the publisher); acknowledgements from
// subscribers are read and ignored. No topics, sessions, QoS state or limits: what a broker on net.Socket
// costs per message before it does anything a broker must do. bench/RESULTS.md compares tsbroker with it:
//   cd <scratch copy of ../shared/bench> && SCENARIOS="lat1 lat0" NAMES="mosquitto node-floor tsbroker" \
//     ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} --- node <repo>/bench/node-floor-forward.mjs {PORT} \
//     --- node <repo>/bin/tsbroker.js -p {PORT}
import net from 'node:net'

const CONNACK = Buffer.from([0x20, 2, 0, 0])
const PINGRESP = Buffer.from([0xd0, 0])
const port = Number(process.argv[2] ?? 1883)
const subscribers = new Set()

net.createServer((s) => {
  s.setNoDelay(true)
  let pending = Buffer.alloc(0)
  s.on('data', (chunk) => {
    const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk
    let at = 0
    for (;;) {
      if (at + 2 > buf.length) break
      let length = 0
      let i = at + 1
      for (let mul = 1; i < buf.length; mul *= 128) {
        const b = buf[i++]
        length += (b & 0x7f) * mul
        if ((b & 0x80) === 0) break
      }
      const end = i + length
      if (end > buf.length) break
      const type = buf[at] >> 4
      if (type === 1) s.write(CONNACK)
      else if (type === 8) { // SUBSCRIBE: id, then grant QoS 1 for the one filter mqload sends
        subscribers.add(s)
        s.write(Buffer.from([0x90, 3, buf[i], buf[i + 1], 1]))
      } else if (type === 3) {
        const packet = buf.subarray(at, end)
        for (const sub of subscribers) sub.write(packet)
        if (((buf[at] >> 1) & 3) === 1) {
          const idAt = i + 2 + buf.readUInt16BE(i)
          s.write(Buffer.from([0x40, 2, buf[idAt], buf[idAt + 1]]))
        }
      } else if (type === 12) s.write(PINGRESP)
      at = end
    }
    pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0)
  })
  s.on('close', () => subscribers.delete(s))
  s.on('error', () => {})
}).listen(port, '127.0.0.1')
