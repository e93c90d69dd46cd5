import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, effectiveListeners, parseConfig, persistencePath, securityFor, type BrokerConfig } from '../../../src/broker/config/index.js'

const parse = (text: string) => parseConfig(text, 'm.conf')

function errorOf(text: string): string {
  try {
    parseConfig(text, 'm.conf')
  } catch (e) {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`)
    assert.equal(e.code, 'ERR_CONFIG')
    assert.ok(!e.message.includes('\n'), 'one line')
    return e.message
  }
  assert.fail(`no error for ${JSON.stringify(text)}`)
}

const errors: ReadonlyArray<[text: string, message: string]> = [
  ['foo bar', 'Unknown configuration variable "foo" (m.conf:1).'],
  ['# c\n\nlistener 1883\nbogus_thing 1', 'Unknown configuration variable "bogus_thing" (m.conf:4).'],
  ['listener abc', 'Invalid port value (abc) (m.conf:1).'],
  ['listener 70000', 'Invalid port value (70000) (m.conf:1).'],
  ['listener', 'Empty listener value in configuration (m.conf:1).'],
  ['listener 0', 'A listener with port 0 must provide a Unix socket path (m.conf:1).'],
  ['port 18x3', 'Invalid port value (18x3) (m.conf:1).'],
  ['port 0', 'Invalid port value (0): must be between 1 and 65535 (m.conf:1).'],
  ['allow_anonymous yes', 'Invalid allow_anonymous value (yes) (m.conf:1).'],
  ['allow_anonymous', 'Empty allow_anonymous value in configuration (m.conf:1).'],
  ['persistence maybe', 'Invalid persistence value (maybe) (m.conf:1).'],
  ['max_qos 3', 'Invalid max_qos value (3): must be between 0 and 2 (m.conf:1).'],
  ['max_keepalive 5', 'Invalid max_keepalive value (5): must be between 10 and 65535 (m.conf:1).'],
  ['sys_interval -1', 'Invalid sys_interval value (-1): must be between 0 and 65535 (m.conf:1).'],
  ['message_size_limit 268435456', 'Invalid message_size_limit value (268435456): must be between 0 and 268435455 (m.conf:1).'],
  ['protocol mqttsn', 'Invalid protocol value (mqttsn) (m.conf:1).'],
  ['log_type chatty', 'Invalid log_type value (chatty) (m.conf:1).'],
  ['log_dest carrier_pigeon', 'Invalid log_dest value (carrier_pigeon) (m.conf:1).'],
  ['password_file a\npassword_file b', 'Duplicate password_file value in configuration (m.conf:2).'],
  ['allow_anonymous true\nper_listener_settings true', 'per_listener_settings must be set before any other security settings (m.conf:2).'],
  ['plugin /usr/lib/x.so', 'Unsupported configuration variable "plugin": tsbroker cannot load mosquitto plugins (m.conf:1).'],
  ['listener 1883\nmount_point a/', 'Unsupported configuration variable "mount_point": mount points are not supported (m.conf:2).'],
  ['listener 8883\ncertfile s.crt', 'Both certfile and keyfile must be provided to enable TLS on a listener (m.conf:1).'],
  ['listener 8883\ncafile ca.crt', 'cafile, capath and require_certificate need certfile and keyfile on the same listener (m.conf:1).'],
  ['include_dir /etc/x', 'include_dir cannot be used here (m.conf:1).'],
]
for (const [text, message] of errors) {
  test(`config error: ${JSON.stringify(text)}`, () => assert.equal(errorOf(text), message))
}

test('no config at all is local-only mode with anonymous clients allowed', () => {
  const c = parse('')
  assert.equal(c.localOnly, true)
  assert.deepEqual(c.listeners, [])
  assert.equal(c.security.allowAnonymous, true)
  const ls = effectiveListeners(c, [])
  assert.deepEqual(ls.map((l) => [l.host, l.port]), [['127.0.0.1', 1883]])
  assert.deepEqual(effectiveListeners(c, [0, 1884]).map((l) => [l.host, l.port]), [['127.0.0.1', 0], ['127.0.0.1', 1884]])
})

test('a config without listeners stays local-only; an explicit allow_anonymous false still wins (deviation)', () => {
  assert.equal(parse('sys_interval 5').security.allowAnonymous, true)
  assert.equal(parse('allow_anonymous false').security.allowAnonymous, false)
})

test('listeners: port, bind address, unix socket, per-listener options; allow_anonymous defaults to false', () => {
  const c = parse([
    'listener 1883 127.0.0.1',
    'max_connections 10',
    'listener 9001',
    'protocol websockets',
    'listener 0 /tmp/mqtt.sock',
    'listener 8883 ::1',
    'certfile /c/s.crt',
    'keyfile /c/s.key',
    'cafile /c/ca.crt',
    'require_certificate true',
    'max_qos 1',
  ].join('\n'))
  assert.equal(c.localOnly, false)
  assert.deepEqual(c.listeners.map((l) => [l.port, l.host, l.path, l.protocol, l.maxConnections]), [
    [1883, '127.0.0.1', undefined, 'mqtt', 10],
    [9001, undefined, undefined, 'websockets', -1],
    [0, undefined, '/tmp/mqtt.sock', 'mqtt', -1],
    [8883, '::1', undefined, 'mqtt', -1],
  ])
  const tls = c.listeners[3]!
  assert.deepEqual([tls.certfile, tls.keyfile, tls.cafile, tls.requireCertificate, tls.maxQos], ['/c/s.crt', '/c/s.key', '/c/ca.crt', true, 1])
  assert.deepEqual(tls.source, { file: 'm.conf', line: 6 })
  assert.equal(c.security.allowAnonymous, false)
  // -p adds loopback listeners in front of the configured ones
  assert.deepEqual(effectiveListeners(c, [0]).map((l) => l.port), [0, 1883, 9001, 0, 8883])
})

test('deprecated port / bind_address make a default listener, opened after the others', () => {
  const c = parse('port 1884\nbind_address 127.0.0.1\nlistener 1885')
  assert.deepEqual(c.listeners.map((l) => [l.port, l.host]), [[1885, undefined], [1884, '127.0.0.1']])
  const onlyBind = parse('bind_address 127.0.0.1')
  assert.deepEqual(onlyBind.listeners.map((l) => [l.port, l.host]), [[1883, '127.0.0.1']])
  assert.equal(onlyBind.localOnly, false)
})

test('global options and their mosquitto defaults', () => {
  const d = parse('')
  assert.deepEqual(pick(d), {
    persistence: false, persistenceLocation: undefined, persistenceFile: undefined, maxInflightMessages: 20, maxQueuedMessages: 1000,
    maxQueuedBytes: undefined, memoryLimit: 0, maxTopicAlias: 10,
    messageSizeLimit: 0, maxKeepalive: 65535, retainAvailable: true, sysInterval: 10, logTimestamp: true, connectionMessages: true,
  })
  const c = parse([
    'persistence true', 'persistence_location /var/lib/mosquitto/', 'persistence_file broker.db', 'autosave_interval 60',
    'autosave_on_changes true', 'max_inflight_messages 5', 'max_queued_messages 50', 'max_queued_bytes 1048576',
    'memory_limit 200000000', 'max_topic_alias 0',
    'message_size_limit 1024', 'max_keepalive 60', 'retain_available false', 'sys_interval 0', 'log_timestamp false',
    'connection_messages 0',
  ].join('\n'))
  assert.deepEqual(c.warnings, [])
  assert.deepEqual(pick(c), {
    persistence: true, persistenceLocation: '/var/lib/mosquitto/', persistenceFile: 'broker.db', maxInflightMessages: 5, maxQueuedMessages: 50,
    maxQueuedBytes: 1048576, memoryLimit: 200000000, maxTopicAlias: 0,
    messageSizeLimit: 1024, maxKeepalive: 60, retainAvailable: false, sysInterval: 0, logTimestamp: false, connectionMessages: false,
  })
})

function pick(c: BrokerConfig) {
  const {
    persistence, persistenceLocation, persistenceFile, maxInflightMessages, maxQueuedMessages, maxQueuedBytes, memoryLimit, maxTopicAlias,
    messageSizeLimit, maxKeepalive, retainAvailable, sysInterval, logTimestamp, connectionMessages,
  } = c
  return {
    persistence, persistenceLocation, persistenceFile, maxInflightMessages, maxQueuedMessages, maxQueuedBytes, memoryLimit, maxTopicAlias,
    messageSizeLimit, maxKeepalive, retainAvailable, sysInterval, logTimestamp, connectionMessages,
  }
}

test('mosquitto value quirks: 1/0 booleans, negative inflight = unlimited, trailing comment after a number', () => {
  const c = parse('retain_available 0\nmax_inflight_messages -1\nmax_queued_messages -5\nsys_interval 30 # every half minute')
  assert.equal(c.retainAvailable, false)
  assert.equal(c.maxInflightMessages, 0)
  assert.equal(c.maxQueuedMessages, 0)
  assert.equal(c.sysInterval, 30)
  assert.deepEqual(c.warnings, [])
})

test('comments: column-1 #, indented #, blank lines and CRLF line ends', () => {
  const c = parse('# top\r\n   # indented\r\n\r\nlistener 1883\r\n\tallow_anonymous true\r\n')
  assert.equal(c.listeners[0]!.port, 1883)
  assert.equal(c.security.allowAnonymous, true)
})

test('known but unimplemented directives warn with file and line; extra words warn too', () => {
  const c = parse('listener 1883\nmax_inflight_bytes 100\nqueue_qos0_messages true\nplugin_opt_x 1\nport 1884 extra')
  assert.deepEqual(c.warnings, [
    'Warning: Unsupported configuration variable "max_inflight_bytes" ignored (m.conf:2).',
    'Warning: Unsupported configuration variable "queue_qos0_messages" ignored (m.conf:3).',
    'Warning: Unsupported configuration variable "plugin_opt_x" ignored (m.conf:4).',
    'Warning: Ignoring extra text "extra" after port (m.conf:5).',
  ])
})

test('strings keep inner spaces (rest of line), as mosquitto', () => {
  const c = parse('password_file /etc/my passwords/pw\nauto_id_prefix  ts-')
  assert.equal(c.security.passwordFile, '/etc/my passwords/pw')
  assert.equal(c.security.autoIdPrefix, 'ts-')
})

test('security options are global by default, per listener with per_listener_settings', () => {
  const g = parse('listener 1883\nallow_anonymous true\npassword_file /pw\nlistener 1884\nacl_file /acl\nallow_zero_length_clientid false')
  assert.deepEqual([g.security.allowAnonymous, g.security.passwordFile, g.security.aclFile, g.security.allowZeroLengthClientId], [true, '/pw', '/acl', false])
  assert.equal(securityFor(g, g.listeners[1]!), g.security)

  const p = parse('per_listener_settings true\nlistener 1883\nallow_anonymous true\nlistener 1884\npassword_file /pw')
  const [a, b] = p.listeners
  assert.deepEqual([a!.security.allowAnonymous, a!.security.passwordFile], [true, undefined])
  assert.deepEqual([b!.security.allowAnonymous, b!.security.passwordFile], [false, '/pw'])
  assert.equal(securityFor(p, b!), b!.security)
})

test('log_type / log_dest: the first one replaces the defaults, later ones add; none and all', () => {
  const d = parse('')
  assert.deepEqual([...d.logTypes].sort(), ['error', 'information', 'notice', 'warning'])
  assert.deepEqual(d.logDest, [{ kind: 'stderr' }])
  const c = parse('log_type error\nlog_type subscribe\nlog_dest stdout\nlog_dest file /var/log/m.log')
  assert.deepEqual([...c.logTypes].sort(), ['error', 'subscribe'])
  assert.deepEqual(c.logDest, [{ kind: 'stdout' }, { kind: 'file', path: '/var/log/m.log' }])
  assert.equal(parse('log_type all').logTypes.size, 8)
  assert.equal(parse('log_type none').logTypes.size, 0)
  assert.deepEqual(parse('log_dest none').logDest, [])
  assert.deepEqual(parse('log_dest syslog').logDest, [{ kind: 'syslog' }]) // logged to stderr, with a warning (broker-log.ts)
})

test('include_dir reads the given files in order; each starts at the default listener; errors name the included file', () => {
  const files: Record<string, string> = {
    '/d/a.conf': 'listener 1884\nallow_anonymous true',
    '/d/b.conf': 'max_connections 3',
  }
  const seen: string[] = []
  const c = parseConfig('listener 1883\ninclude_dir /d\nprotocol websockets', 'main.conf', (dir, from) => {
    seen.push(`${dir} ${from.file}:${from.line}`)
    return Object.keys(files).sort().map((file) => ({ file, text: files[file]! }))
  })
  assert.deepEqual(seen, ['/d main.conf:2'])
  // b.conf's max_connections went to the default listener (opened last, port 1883)
  assert.deepEqual(c.listeners.map((l) => [l.port, l.protocol, l.maxConnections]), [
    [1883, 'websockets', -1], [1884, 'mqtt', -1], [1883, 'mqtt', 3],
  ])
  assert.throws(() => parseConfig('include_dir /d', 'main.conf', () => [{ file: '/d/x.conf', text: '\nnope 1' }]),
    { message: 'Unknown configuration variable "nope" (/d/x.conf:2).' })
})

test('persistence_location and persistence_file name the store; tsbroker.db by default, never mosquitto.db', () => {
  assert.equal(persistencePath(parse(''), '/srv'), undefined)
  assert.equal(persistencePath(parse('persistence true'), '/srv'), '/srv/tsbroker.db')
  assert.equal(persistencePath(parse('persistence true\npersistence_location /var/lib/mosquitto'), '/srv'), '/var/lib/mosquitto/tsbroker.db')
  assert.equal(persistencePath(parse('persistence true\npersistence_location /data/\npersistence_file my.db'), '/srv'), '/data/my.db')
})
