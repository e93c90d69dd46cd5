#!/usr/bin/env node
// The floor of any MQTT broker built on node:net: accept, answer the first packet (CONNECT) with a fixed
// CONNACK and PINGREQ with PINGRESP, nothing else. bench/RESULTS.md compares tsbroker's connection rate and
// memory per idle connection with it, in the same interleaved run as mosquitto:
//   cd <scratch copy of ../shared/bench> && SCENARIOS=idle NAMES="mosquitto node-floor tsbroker" \
//     ./run-broker-bench.sh ./mosquitto-broker.sh {PORT} --- node <repo>/bench/node-floor-broker.mjs {PORT} \
//     --- node <repo>/bin/tsbroker.js -p {PORT}
import net from 'node:net'

const CONNACK = Buffer.from([0x20, 2, 0, 0])
const PINGRESP = Buffer.from([0xd0, 0])
const port = Number(process.argv[2] ?? 1883)
net.createServer((s) => {
  s.once('data', () => s.write(CONNACK))
  s.on('data', (d) => { if (d[0] === 0xc0) s.write(PINGRESP) })
  s.on('error', () => {})
}).listen(port, '127.0.0.1')
