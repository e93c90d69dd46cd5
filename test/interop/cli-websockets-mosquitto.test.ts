// tspub/tssub over ws:// and wss:// against the real Debian mosquitto (2.0.11, built with libwebsockets)
// configured with websockets listeners, plain and TLS. mosquitto 2.0.11 refuses to start with websockets
// listeners only ("Unable to start any listening sockets"), so startMosquitto's plain listener stays first.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { runCli } from '../helpers/run-cli.js'
import { freePort, mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'

const skip = mosquittoMissing() || (haveOpenssl ? false : 'openssl not installed')

test('ws:// and wss:// to mosquitto websockets listeners, crossing over to its plain MQTT listener', { skip }, async (t) => {
  const dir = makeCerts()
  const f = (n: string) => join(dir, n)
  const [wsPort, wssPort] = [await freePort(), await freePort()]
  const m = await startMosquitto(t, [
    `listener ${wsPort} 127.0.0.1`, 'protocol websockets',
    `listener ${wssPort} 127.0.0.1`, 'protocol websockets', `certfile ${f('server.crt')}`, `keyfile ${f('server.key')}`,
  ])
  const plain = ['-h', '127.0.0.1', '-p', String(m.port)]

  // tspub over ws:// (-L, mosquitto 2.1's syntax) → mosquitto → mosquitto_sub on the plain listener.
  assert.equal((await runCli('tspub', ['-L', `ws://127.0.0.1:${wsPort}/ws/in`, '-r', '-q', '1', '-m', 'via ws'])).code, 0)
  const viaWs = await runCli('mosquitto_sub', [...plain, '-t', 'ws/in', '-C', '1'], { timeoutMs: 5000 })
  assert.equal(viaWs.stdout.toString(), 'via ws\n')

  // mosquitto_pub on the plain listener → tssub over wss:// with --cafile (the TLS flags as for mqtts://).
  assert.equal((await runCli('mosquitto_pub', [...plain, '-t', 'wss/out', '-r', '-q', '1', '-m', 'via wss'])).code, 0)
  const viaWss = await runCli('tssub', ['-L', `wss://127.0.0.1:${wssPort}/wss/out`, '--cafile', f('ca.crt'), '-C', '1', '-v'])
  assert.equal(viaWss.code, 0, viaWss.stderr)
  assert.equal(viaWss.stdout.toString(), 'wss/out via wss\n')

  // --ws with -h/-p, QoS 2 both ways over the plain websockets listener, MQTT v5.
  const ws = ['--ws', '-h', '127.0.0.1', '-p', String(wsPort), '-V', '5']
  assert.equal((await runCli('tspub', [...ws, '-t', 'ws/q2', '-r', '-q', '2', '-m', 'exactly once'])).code, 0)
  const q2 = await runCli('tssub', [...ws, '-t', 'ws/q2', '-q', '2', '-C', '1', '-F', '%q %t %p'])
  assert.equal(q2.stdout.toString(), '2 ws/q2 exactly once\n')

  // A wrong CA over wss:// is a TLS failure, exit 8, as over mqtts://.
  const wrongCa = await runCli('tspub', ['-L', `wss://127.0.0.1:${wssPort}/t`, '--cafile', f('client.crt'), '-m', 'x'])
  assert.equal(wrongCa.code, 8)
  assert.equal(wrongCa.stderr, 'Error: A TLS error occurred.\n')
  // ws:// to mosquitto's plain MQTT port is no WebSocket server: one line, exit 1.
  const notWs = await runCli('tspub', ['-L', `ws://127.0.0.1:${m.port}/t`, '-m', 'x'])
  assert.equal(notWs.code, 1)
  assert.match(notWs.stderr, /^Error: .+\n$/)
})
