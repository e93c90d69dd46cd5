// mosquitto.conf bridge blocks → bridge specifications, with mosquitto 2.0's checks and wording (conf.c).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, parseConfig, type IncludedFile } from '../../../src/broker/config/index.js'

const parse = (text: string, include?: Record<string, IncludedFile[]>) =>
  parseConfig(text, 'm.conf', include ? (dir) => include[dir] ?? [] : undefined)

function errorOf(text: string, include?: Record<string, IncludedFile[]>): string {
  try {
    parse(text, include)
  } catch (e) {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`)
    return e.message
  }
  assert.fail(`no error for ${JSON.stringify(text)}`)
}

test('every bridge directive maps onto the specification', () => {
  const c = parse([
    'listener 1883', 'connection edge', 'address broker1.example:1884 broker2.example [::1]:1885 # the cluster', 'round_robin true',
    'topic sensors/# out 1 "" site1/', 'topic cmd/# in 2 local/ remote/', 'topic # both', 'topic "" both 0 l/x r/y', 'topic a/# out 1 # comment',
    'remote_clientid edge-1', 'local_clientid local.edge-1', 'remote_username u', 'remote_password p w', 'local_username lu', 'local_password lp',
    'cleansession true', 'local_cleansession false', 'bridge_protocol_version mqttv50', 'try_private false', 'notifications false',
    'notifications_local_only true', 'notification_topic bridges/edge/state', 'keepalive_interval 30', 'restart_timeout 2 20',
    'start_type lazy', 'idle_timeout 30', 'threshold 5', 'bridge_attempt_unsubscribe false', 'bridge_max_packet_size 1000',
    'bridge_outgoing_retain false', 'bridge_bind_address 127.0.0.1', 'bridge_cafile /etc/ca.crt', 'bridge_capath /etc/cas',
    'bridge_certfile /etc/c.crt', 'bridge_keyfile /etc/c.key', 'bridge_insecure true', 'bridge_tls_version tlsv1.3', 'bridge_alpn mqtt',
  ].join('\n'))
  const { source, ...spec } = c.bridges[0]!
  assert.deepEqual(source, { file: 'm.conf', line: 2 })
  assert.deepEqual(spec, {
    name: 'edge',
    addresses: [{ host: 'broker1.example', port: 1884 }, { host: 'broker2.example', port: 1883 }, { host: '::1', port: 1885 }],
    roundRobin: true,
    topics: [
      { pattern: 'sensors/#', direction: 'out', qos: 1, remotePrefix: 'site1/' },
      { pattern: 'cmd/#', direction: 'in', qos: 2, localPrefix: 'local/', remotePrefix: 'remote/' },
      { pattern: '#', direction: 'both' },
      { pattern: '', direction: 'both', qos: 0, localPrefix: 'l/x', remotePrefix: 'r/y' },
      { pattern: 'a/#', direction: 'out', qos: 1 },
    ],
    remoteClientId: 'edge-1', localClientId: 'local.edge-1', remoteUsername: 'u', remotePassword: 'p w', localUsername: 'lu', localPassword: 'lp',
    cleanSession: true, localCleanSession: false, protocolVersion: 5, tryPrivate: false, notifications: false, notificationsLocalOnly: true,
    notificationTopic: 'bridges/edge/state', keepalive: 30, restartTimeout: [2, 20], startType: 'lazy', idleTimeout: 30, threshold: 5,
    attemptUnsubscribe: false, maxPacketSize: 1000, outgoingRetain: false, bindAddress: '127.0.0.1',
    tls: { ca: '/etc/ca.crt', caPath: '/etc/cas', cert: '/etc/c.crt', key: '/etc/c.key', insecure: true, version: 'tlsv1.3', alpn: 'mqtt' },
  })
  assert.deepEqual(c.warnings, ['Warning: Bridge edge using insecure mode (m.conf:36).'])
  assert.equal(c.listeners.length, 1)
})

test('mosquitto\'s old names clientid, username and password; several bridges; restart_timeout with one value', () => {
  const c = parse('connection a\naddress h1\ntopic x\nclientid ca\nusername ua\npassword pa\nrestart_timeout 7\nconnection b\naddress h2\ntopic y in')
  assert.deepEqual(c.bridges.map((b) => [b.name, b.remoteClientId, b.remoteUsername, b.remotePassword, b.restartTimeout]),
    [['a', 'ca', 'ua', 'pa', 7], ['b', undefined, undefined, undefined, undefined]])
})

test('values mosquitto raises to their minimum, with its notice as a warning', () => {
  const c = parse('connection a\naddress h\ntopic x\nkeepalive_interval 2\nrestart_timeout 0\nidle_timeout 0\nthreshold -3\nbridge_max_packet_size -1')
  const b = c.bridges[0]!
  assert.deepEqual([b.keepalive, b.restartTimeout, b.idleTimeout, b.threshold, b.maxPacketSize], [5, 1, 1, 1, 0])
  assert.deepEqual(c.warnings, [
    'Warning: keepalive interval too low, using 5 seconds (m.conf:4).',
    'Warning: restart_timeout interval too low, using 1 second (m.conf:5).',
    'Warning: idle_timeout interval too low, using 1 second (m.conf:6).',
    'Warning: threshold too low, using 1 message (m.conf:7).',
  ])
})

const block = (lines: string) => `connection a\naddress h\ntopic x\n${lines}`
const errors: ReadonlyArray<[text: string, message: string]> = [
  ['address h', 'Invalid bridge configuration (m.conf:1).'],
  ['topic #', 'Invalid bridge configuration (m.conf:1).'],
  ['try_private false', 'Invalid bridge configuration (m.conf:1).'],
  ['connection', 'Empty connection value in configuration (m.conf:1).'],
  ['connection a\ntopic #', 'Invalid bridge configuration: no remote addresses defined (m.conf:1).'],
  ['connection a\naddress h', 'Invalid bridge configuration: no topics defined (m.conf:1).'],
  ['connection a\naddress h\ntopic x\nconnection a', 'Duplicate bridge name "a" (m.conf:4).'],
  ['connection a\naddress h:0', 'Invalid port value (0) (m.conf:2).'],
  ['connection a\naddress h:x', 'Invalid port value (x) (m.conf:2).'],
  ['connection a\naddress', 'Empty address value in configuration (m.conf:2).'],
  [block('address g'), 'Invalid bridge configuration (m.conf:4).'],
  [block('topic'), 'Empty topic value in configuration (m.conf:4).'],
  [block('topic # sideways'), "Invalid bridge topic direction 'sideways' (m.conf:4)."],
  [block('topic # in 3'), "Invalid bridge QoS level '3' (m.conf:4)."],
  [block('topic "" in 0 L/'), 'Invalid bridge remapping (m.conf:4).'],
  [block('topic # in 0 L/+/'), "Invalid bridge topic local prefix 'L/+/' (m.conf:4)."],
  [block('topic # in 0 "" R#'), "Invalid bridge topic remote prefix 'R#' (m.conf:4)."],
  [block('bridge_protocol_version mqttv6'), 'Invalid bridge_protocol_version value (mqttv6) (m.conf:4).'],
  [block('start_type manual'), 'Manual start_type not supported (m.conf:4).'],
  [block('start_type sometimes'), 'Invalid start_type value in configuration (sometimes) (m.conf:4).'],
  [block('keepalive_interval 70000'), 'Bridge keepalive value too high (m.conf:4).'],
  [block('restart_timeout 10 5'), 'backoff cap is lower than the base in restart_timeout (m.conf:4).'],
  [block('bridge_tls_version tlsv1.0'), 'Invalid bridge_tls_version value (tlsv1.0) (m.conf:4).'],
  [block('remote_clientid x\nremote_clientid y'), 'Duplicate bridge remote clientid value in configuration (m.conf:5).'],
  [block('notifications maybe'), 'Invalid notifications value (maybe) (m.conf:4).'],
  [block('bridge_certfile /c.crt\nbridge_keyfile /c.key'), 'Bridge a: bridge_cafile or bridge_capath is needed for TLS (m.conf:1).'],
  [block('bridge_cafile /ca.crt\nbridge_certfile /c.crt'), 'Bridge a: a client certificate needs its key, and a key its certificate (bridge_certfile, bridge_keyfile) (m.conf:1).'],
  [block('bridge_psk 0102'), 'Unsupported configuration variable "bridge_psk": TLS-PSK bridges are not supported (m.conf:4).'],
  [block('bridge_identity me'), 'Unsupported configuration variable "bridge_identity": TLS-PSK bridges are not supported (m.conf:4).'],
  [block('bridge_require_ocsp true'), 'Unsupported configuration variable "bridge_require_ocsp": OCSP for bridges is not supported (m.conf:4).'],
  ['connection a\naddress h\ntopic x\nlocal_clientid same\nconnection b\naddress h\ntopic x\nlocal_clientid same',
    "Bridge local_clientid 'same' is not unique. Try changing or setting the local_clientid value for one of the bridges (m.conf:5)."],
]
for (const [text, message] of errors) {
  test(`refused: ${JSON.stringify(text)}`, () => assert.equal(errorOf(text), message))
}

test('a bridge block ends with its file, as mosquitto: an included file cannot continue it, the main file can', () => {
  const include = { d: [{ file: 'd/x.conf', text: 'topic t' }] }
  assert.equal(errorOf('connection a\naddress h\ninclude_dir d', include), 'Invalid bridge configuration (d/x.conf:1).')
  const c = parse('connection a\naddress h\ninclude_dir d\ntopic t', { d: [{ file: 'd/x.conf', text: 'listener 1884' }] })
  assert.deepEqual(c.bridges[0]!.topics, [{ pattern: 't' }])
  assert.equal(c.listeners[0]!.port, 1884)
})

test('listener directives after a bridge block still configure the listener', () => {
  const c = parse('connection a\naddress h\ntopic x\nlistener 1884\nmax_connections 3')
  assert.equal(c.listeners[0]!.maxConnections, 3)
  assert.equal(c.bridges.length, 1)
})

test('the README\'s scale-out configuration reads as the README says', async () => {
  const { readFileSync } = await import('node:fs')
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
  const conf = readme.split('# /etc/tsbroker/tsbroker.conf at site 7\n')[1]!.split('```')[0]!
  const c = parse(conf)
  const b = c.bridges[0]!
  assert.deepEqual([b.name, b.addresses, b.remoteClientId, b.tls, b.cleanSession, b.restartTimeout], [
    'cloud', [{ host: 'mqtt-a.example.com', port: 8883 }, { host: 'mqtt-b.example.com', port: 8883 }], 'site7',
    { ca: '/etc/ssl/certs/cluster-ca.pem' }, false, [5, 60],
  ])
  assert.deepEqual(b.topics, [
    { pattern: 'sensors/#', direction: 'out', qos: 1, remotePrefix: 'sites/site7/' },
    { pattern: 'commands/#', direction: 'in', qos: 1, remotePrefix: 'sites/site7/' },
  ])
  assert.deepEqual(c.warnings, [])
  assert.equal(c.persistence, true)
})
