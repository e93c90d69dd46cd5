// Broker URLs of every scheme → the endpoint the transport layer opens (src/core/endpoint.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { InvalidUrlError, parseBrokerUrl, type Endpoint } from '../../../src/core/endpoint.js'

const cases: ReadonlyArray<[url: string, endpoint: Endpoint]> = [
  ['mqtt://broker', { transport: 'tcp', host: 'broker', port: 1883, path: '' }],
  ['tcp://broker:1884', { transport: 'tcp', host: 'broker', port: 1884, path: '' }],
  ['MQTT://Broker:1884', { transport: 'tcp', host: 'Broker', port: 1884, path: '' }],
  ['mqtt://[::1]:1883', { transport: 'tcp', host: '::1', port: 1883, path: '' }],
  ['mqtts://broker', { transport: 'tls', host: 'broker', port: 8883, path: '' }],
  ['ssl://broker:9999', { transport: 'tls', host: 'broker', port: 9999, path: '' }],
  ['tls://broker', { transport: 'tls', host: 'broker', port: 8883, path: '' }],
  ['ws://broker', { transport: 'ws', host: 'broker', port: 80, path: '/mqtt' }],
  ['ws://broker:9001/', { transport: 'ws', host: 'broker', port: 9001, path: '/mqtt' }],
  ['ws://broker:9001/custom/path?x=1', { transport: 'ws', host: 'broker', port: 9001, path: '/custom/path?x=1' }],
  ['wss://broker', { transport: 'wss', host: 'broker', port: 443, path: '/mqtt' }],
  ['wss://[::1]:8443/ws', { transport: 'wss', host: '::1', port: 8443, path: '/ws' }],
  ['unix:///run/mqtt.sock', { transport: 'unix', host: '', port: 0, path: '/run/mqtt.sock' }],
  ['unix:/tmp/a%20b.sock', { transport: 'unix', host: '', port: 0, path: '/tmp/a b.sock' }],
  ['mqtt://alice:s%3Acret@broker', { transport: 'tcp', host: 'broker', port: 1883, path: '', username: 'alice', password: 's:cret' }],
  ['ws://bob@broker:80/mqtt', { transport: 'ws', host: 'broker', port: 80, path: '/mqtt', username: 'bob' }],
]

for (const [url, endpoint] of cases) {
  test(`${url} → ${endpoint.transport} ${endpoint.host}:${endpoint.port}${endpoint.path}`, () => {
    assert.deepEqual(parseBrokerUrl(url), endpoint)
  })
}

for (const [url, message] of [
  ['http://broker', /Unsupported URL scheme "http"/],
  ['broker:1883', /Unsupported URL scheme "broker"/],
  ['not a url', /Invalid broker URL/],
  ['unix://', /No socket path/],
  ['mqtt://', /No host/],
] as const) {
  test(`${url} is refused with a clear message`, () => {
    assert.throws(() => parseBrokerUrl(url), (e: unknown) => e instanceof InvalidUrlError && e.code === 'ERR_INVALID_URL' && message.test(e.message))
  })
}
