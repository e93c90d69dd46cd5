// -L ws[s]://, --ws, --unix and the TLS flags → the endpoint tspub/tssub/tsrr connect to, as mosquitto 2.1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { endpointFor } from '../../../src/cli/client-options.js'
import { config, failure } from '../../helpers/cli-options.js'

const files = { files: { '/ca': 'pem' } }
const endpoint = (argv: string[]) => endpointFor(config('pub', [...argv, '-m', 'x'], files))

const cases: ReadonlyArray<[argv: string[], transport: string, host: string, port: number, path: string]> = [
  [['-t', 't'], 'tcp', 'localhost', 1883, ''],
  [['-L', 'mqtt://h/t'], 'tcp', 'h', 1883, ''],
  [['-L', 'mqtts://h/t'], 'tls', 'h', 8883, ''],
  // mosquitto 2.1's code uses 1883/8883 for ws:// and wss:// (its man page says 80/443).
  [['-L', 'ws://h/t'], 'ws', 'h', 1883, '/mqtt'],
  [['-L', 'ws://h:9001/a/b'], 'ws', 'h', 9001, '/mqtt'],
  [['-L', 'WSS://h:8443/t'], 'wss', 'h', 8443, '/mqtt'],
  [['-L', 'wss://h/t'], 'wss', 'h', 8883, '/mqtt'],
  [['--ws', '-h', 'h', '-p', '9001', '-t', 't'], 'ws', 'h', 9001, '/mqtt'],
  [['--ws', '-t', 't'], 'ws', 'localhost', 1883, '/mqtt'],
  [['--ws', '-p', '8883', '-t', 't'], 'wss', 'localhost', 8883, '/mqtt'], // port 8883 means TLS, as for mqtt
  [['--ws', '--cafile', '/ca', '-t', 't'], 'wss', 'localhost', 8883, '/mqtt'],
  [['--ws', '--tls-use-os-certs', '-p', '443', '-t', 't'], 'wss', 'localhost', 443, '/mqtt'],
  [['--unix', '/run/m.sock', '-t', 't'], 'unix', '', 0, '/run/m.sock'],
]

for (const [argv, transport, host, port, path] of cases) {
  test(`${argv.join(' ')} → ${transport}://${host}:${port}${path}`, () => {
    const e = endpoint(argv)
    assert.deepEqual([e.transport, e.host, e.port, e.path], [transport, host, port, path])
  })
}

test('-L ws:// takes the topic and credentials as mosquitto does: everything after the first "/" is the topic', () => {
  const c = config('pub', ['-L', 'ws://u:p@h:9001/path/topic', '-m', 'x'])
  assert.deepEqual([c.topic, c.username, c.password, c.websockets], ['path/topic', 'u', 'p', true])
  assert.deepEqual(config('sub', ['-L', 'wss://h/a/#']).topics, ['a/#'])
})

test('TLS flags apply to wss:// exactly as to mqtts://', () => {
  const ws = config('pub', ['-L', 'wss://h/t', '--cafile', '/ca', '--insecure', '--tls-version', 'tlsv1.2', '-m', 'x'], files).tls
  const mq = config('pub', ['-L', 'mqtts://h/t', '--cafile', '/ca', '--insecure', '--tls-version', 'tlsv1.2', '-m', 'x'], files).tls
  assert.deepEqual(ws, mq)
})

test('--ws with --unix is refused', () => {
  assert.equal(failure('pub', ['--ws', '--unix', '/s', '-t', 't', '-m', 'x']).stderr, 'Error: WebSockets cannot be used over a Unix socket (--unix).\n')
})
