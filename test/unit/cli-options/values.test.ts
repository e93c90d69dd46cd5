// What a valid command line turns into: defaults, later-wins, -L, -D, -x, -I, passwords, TLS, tool options.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encode, propertyOrder, type PublishPacket } from '../../../src/codec/index.js'
import { config, parse } from '../../helpers/cli-options.js'
import { pkt, props, str } from '../../helpers/wire.js'

/** The properties object without its wire-order hint (a symbol key), for deepEqual. */
const plain = (o: object | undefined) => (o === undefined ? undefined : Object.fromEntries(Object.entries(o)))

const PUB = ['-t', 't', '-m', 'x']

describe('defaults', () => {
  it('tspub: localhost:1883, MQTT 3.1.1, keepalive 60, clean, no id, QoS 0, 20 in flight', () => {
    const c = config('pub', PUB)
    assert.equal(c.host, 'localhost')
    assert.equal(c.port, 1883)
    assert.equal(c.protocolVersion, 4)
    assert.equal(c.keepalive, 60)
    assert.equal(c.clean, true)
    assert.equal(c.clientId, '')
    assert.equal(c.qos, 0)
    assert.equal(c.maxInflight, 20)
    assert.equal(c.repeat, 1)
    assert.equal(c.repeatDelay, 0)
    assert.equal(c.tls, undefined)
    assert.equal(c.sessionExpiry, undefined)
    assert.deepEqual(c.properties, {})
    assert.deepEqual(c.passwordSource, { kind: 'none' })
  })

  it('tsrr: MQTT v5, one message, the response topic is subscribed and sent as Response-Topic', () => {
    const c = config('rr', ['-t', 'req', '-e', 'resp', '-m', 'q'])
    assert.equal(c.protocolVersion, 5)
    assert.equal(c.count, 1)
    assert.equal(c.topic, 'req')
    assert.equal(c.responseTopic, 'resp')
    assert.deepEqual(c.topics, ['resp'])
    assert.deepEqual(c.properties.publish, { responseTopic: 'resp' })
  })

  it('tssub: unlimited count, print everything', () => {
    const c = config('sub', ['-t', 'a'])
    assert.equal(c.count, undefined)
    assert.equal(c.randomFilter, undefined)
    assert.equal(c.protocolVersion, 4)
  })
})

describe('argument model (reference §1.1)', () => {
  it('the value is the next word even when it starts with "-"', () => {
    const c = config('pub', ['-t', '-m', '-m', '-x'])
    assert.equal(c.topic, '-m')
    assert.deepEqual(c.payload, { mode: 'message', payload: Buffer.from('-x') })
  })

  it('later wins for scalars; pub keeps the last -t', () => {
    const c = config('pub', ['-t', 'first', '-p', '1', '-p', '2', '-t', 'second', '-m', 'x', '-q', '2', '-q', '1'])
    assert.equal(c.port, 2)
    assert.equal(c.topic, 'second')
    assert.equal(c.qos, 1)
  })

  it('sub accumulates -t, -T and -U in order', () => {
    const c = config('sub', ['-t', 'a', '-T', 'x/#', '-t', 'b/+', '-U', 'u1', '-T', 'y', '-U', 'u2', '-t', '#'])
    assert.deepEqual(c.topics, ['a', 'b/+', '#'])
    assert.deepEqual(c.filterOut, ['x/#', 'y'])
    assert.deepEqual(c.unsubscribe, ['u1', 'u2'])
  })

  it('long names are the same options', () => {
    const c = config('sub', ['--topic', 'a', '--host', 'h', '--port', '99', '--qos', '2', '--verbose', '--id', 'me',
      '--keepalive', '30', '--disable-clean-session', '--debug', '--username', 'u', '--pw', 'p', '--protocol-version', 'mqttv31',
      '--filter-out', 'f', '--unsubscribe', 'g'])
    assert.deepEqual([c.host, c.port, c.qos, c.verbose, c.clientId, c.keepalive, c.clean, c.debug, c.username, c.password],
      ['h', 99, 2, true, 'me', 30, false, true, 'u', 'p'])
    assert.equal(c.protocolVersion, 3)
    assert.deepEqual([c.filterOut, c.unsubscribe], [['f'], ['g']])
  })

  it('numbers follow atoi: trailing junk ignored, text is 0, leading spaces skipped', () => {
    assert.equal(config('pub', [...PUB, '-p', '28831x']).port, 28831)
    assert.equal(config('pub', [...PUB, '-q', 'abc']).qos, 0)
    assert.equal(config('pub', [...PUB, '-k', '  90s']).keepalive, 90)
    assert.equal(config('sub', ['-t', 'a', '-C', '3 messages']).count, 3)
    assert.equal(config('sub', ['-t', 'a', '-W', '+7']).timeout, 7)
    assert.equal(config('pub', [...PUB, '-M', '5.9']).maxInflight, 5)
  })

  it('an empty topic passes the parser (the publish fails later, as in mosquitto)', () => {
    assert.equal(config('pub', ['-t', '', '-m', 'x']).topic, '')
    assert.deepEqual(config('sub', ['-t', '']).topics, [''])
  })

  it('-V accepts mqttv31/31, mqttv311/311, mqttv5/5', () => {
    const v = (s: string) => config('pub', [...PUB, '-V', s]).protocolVersion
    assert.deepEqual(['mqttv31', '31', 'mqttv311', '311', 'mqttv5', '5'].map(v), [3, 3, 4, 4, 5, 5])
  })
})

describe('-L URL (reference §6.1)', () => {
  it('sets user, password, host, port and topic', () => {
    const c = config('pub', ['-L', 'mqtt://u:p:q@broker:1884/a/b', '-m', 'x'])
    assert.deepEqual([c.username, c.password, c.host, c.port, c.topic], ['u', 'p:q', 'broker', 1884, 'a/b'])
    assert.deepEqual(c.passwordSource, { kind: 'argv' })
  })
  it('later -p/-h/-t override it; earlier ones are overridden by it', () => {
    const c = config('pub', ['-p', '1', '-t', 'first', '-L', 'mqtt://h:28831/second', '-m', 'x'])
    assert.deepEqual([c.host, c.port, c.topic], ['h', 28831, 'second'])
    const d = config('pub', ['-L', 'mqtt://h/t', '-p', '5', '-h', 'x', '-t', 'u', '-m', 'x'])
    assert.deepEqual([d.host, d.port, d.topic], ['x', 5, 'u'])
  })
  it('mqtt:// without a port resets the port to 1883', () => {
    assert.equal(config('pub', ['-p', '2000', '-L', 'mqtt://h/t', '-m', 'x']).port, 1883)
  })
  it('mqtts:// means port 8883 and the system CA store', () => {
    const c = config('pub', ['-L', 'MQTTS://h/t', '-m', 'x'])
    assert.equal(c.port, 8883)
    assert.equal(c.tls?.useOsCerts, true)
  })
  it('the scheme is case-insensitive; username without password; empty topic', () => {
    const c = config('pub', ['-L', 'Mqtt://bob@h/', '-m', 'x'])
    assert.deepEqual([c.username, c.password, c.topic], ['bob', undefined, ''])
  })
  it('for tssub the URL topic joins the -t list', () => {
    assert.deepEqual(config('sub', ['-t', 'x', '-L', 'mqtt://h/y/#']).topics, ['x', 'y/#'])
  })
  it('no percent-decoding of credentials', () => {
    assert.equal(config('pub', ['-L', 'mqtt://a%40b:p@h/t', '-m', 'x']).username, 'a%40b')
  })
})

describe('-D properties', () => {
  it('switches to MQTT v5 where it appears; a later -V switches back, props kept', () => {
    assert.equal(config('pub', [...PUB, '-D', 'publish', 'content-type', 'a']).protocolVersion, 5)
    const c = config('pub', [...PUB, '-D', 'publish', 'content-type', 'a', '-V', '311'])
    assert.equal(c.protocolVersion, 4)
    assert.deepEqual(c.properties.publish, { contentType: 'a' })
    assert.equal(config('pub', [...PUB, '-V', '311', '-D', 'publish', 'content-type', 'a']).protocolVersion, 5)
  })
  it('names are case-insensitive; values become mqtt-packet properties', () => {
    const c = config('pub', [...PUB, '-D', 'PUBLISH', 'Content-Type', 'text/plain', '-D', 'publish', 'correlation-data', 'abc',
      '-D', 'publish', 'payload-format-indicator', '1', '-D', 'publish', 'message-expiry-interval', '3600',
      '-D', 'publish', 'topic-alias', '3', '-D', 'publish', 'response-topic', 'r/#'])
    assert.deepEqual(c.properties.publish, {
      contentType: 'text/plain', correlationData: Buffer.from('abc'), payloadFormatIndicator: true,
      messageExpiryInterval: 3600, topicAlias: 3, responseTopic: 'r/#',
    })
  })
  it('user-property takes two words, repeats, and keeps duplicate keys as an array', () => {
    const c = config('pub', [...PUB, '-D', 'publish', 'user-property', 'k', 'v1', '-D', 'publish', 'user-property', 'j', 'w',
      '-D', 'publish', 'user-property', 'k', 'v2', '-D', 'publish', 'user-property', 'k', 'v3'])
    assert.deepEqual(plain(c.properties.publish), { userProperties: { k: ['v1', 'v2', 'v3'], j: 'w' } })
  })
  it('a user property named __proto__ or constructor is sent like any other [MQTT-3.3.2-18] (v5)', () => {
    const c = config('pub', [...PUB, '-D', 'publish', 'user-property', '__proto__', 'w', '-D', 'publish', 'user-property', 'constructor', 'x'])
    const p: PublishPacket = { cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, properties: c.properties.publish! }
    const wire = [0x26, ...str('__proto__'), ...str('w'), 0x26, ...str('constructor'), ...str('x')]
    assert.equal(encode(p, 5).toString('hex'), pkt(0x30, [...str('t'), ...props(wire)]).toString('hex'))
  })
  it('user properties go on the wire in the order given, among the other properties too [MQTT-3.3.2-18] (v5)', () => {
    const c = config('pub', [...PUB, '-D', 'publish', 'user-property', 'k', 'v1', '-D', 'publish', 'content-type', 'ct',
      '-D', 'publish', 'user-property', 'j', 'w', '-D', 'publish', 'user-property', 'k', 'v2'])
    assert.deepEqual(propertyOrder(c.properties.publish), [['k', 'v1'], 'contentType', ['j', 'w'], ['k', 'v2']])
    const p: PublishPacket = { cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false, properties: c.properties.publish! }
    const wire = [0x26, ...str('k'), ...str('v1'), 0x03, ...str('ct'), 0x26, ...str('j'), ...str('w'), 0x26, ...str('k'), ...str('v2')]
    assert.equal(encode(p, 5).toString('hex'), pkt(0x30, [...str('t'), ...props(wire)]).toString('hex'))
  })
  it('numbers use atol: text is 0, trailing junk ignored', () => {
    const c = config('pub', [...PUB, '-D', 'publish', 'message-expiry-interval', 'abc', '-D', 'will', 'will-delay-interval', '12s'])
    assert.deepEqual(c.properties.publish, { messageExpiryInterval: 0 })
    assert.deepEqual(c.properties.will, { willDelayInterval: 12 })
  })
  it('empty strings and binary are sent as given', () => {
    const c = config('pub', [...PUB, '-D', 'publish', 'content-type', '', '-D', 'publish', 'correlation-data', ''])
    assert.deepEqual(c.properties.publish, { contentType: '', correlationData: Buffer.alloc(0) })
  })
  it('connect, subscribe, unsubscribe, disconnect and will lists', () => {
    const c = config('sub', ['-t', 'a', '-D', 'connect', 'receive-maximum', '10', '-D', 'connect', 'authentication-method', 'SCRAM',
      '-D', 'connect', 'request-response-information', '1', '-D', 'connect', 'maximum-packet-size', '1000',
      '-D', 'subscribe', 'subscription-identifier', '268435455', '-D', 'unsubscribe', 'user-property', 'a', 'b',
      '-D', 'disconnect', 'session-expiry-interval', '0', '-D', 'disconnect', 'reason-string', 'bye',
      '-D', 'disconnect', 'server-reference', 'other', '-D', 'connect', 'topic-alias-maximum', '5'])
    assert.deepEqual(c.properties.connect, { receiveMaximum: 10, authenticationMethod: 'SCRAM', requestResponseInformation: true,
      maximumPacketSize: 1000, topicAliasMaximum: 5 })
    assert.deepEqual(c.properties.subscribe, { subscriptionIdentifier: 268435455 })
    assert.deepEqual(plain(c.properties.unsubscribe), { userProperties: { a: 'b' } })
    assert.deepEqual(c.properties.disconnect, { sessionExpiryInterval: 0, reasonString: 'bye', serverReference: 'other' })
  })
  it('will properties reach the will too', () => {
    const c = config('pub', [...PUB, '--will-topic', 'w', '-D', 'will', 'content-type', 'x', '-D', 'will', 'user-property', 'k', 'v'])
    assert.deepEqual(plain(c.will?.properties), { contentType: 'x', userProperties: { k: 'v' } })
    assert.deepEqual(c.properties.will, c.will?.properties)
  })
})

describe('-x, -c and client ids', () => {
  const v5 = ['-V', '5', '-i', 'me']
  it('-x takes decimal, 0x hex and 0 octal (strtol base 0)', () => {
    assert.equal(config('pub', [...PUB, ...v5, '-x', '0x10']).sessionExpiry, 16)
    assert.equal(config('pub', [...PUB, ...v5, '-x', '010']).sessionExpiry, 8)
    assert.equal(config('pub', [...PUB, ...v5, '-x', ' 300']).sessionExpiry, 300)
    assert.deepEqual(config('pub', [...PUB, ...v5, '-x', '300']).properties.connect, { sessionExpiryInterval: 300 })
  })
  it('-x -1, ∞ and 4294967295 are "never expires"', () => {
    for (const x of ['-1', '∞', '4294967295']) assert.equal(config('pub', [...PUB, ...v5, '-x', x]).sessionExpiry, 4294967295)
  })
  it('-x 0 sends nothing; -x is ignored before v5 (2.0 behaviour)', () => {
    assert.equal(config('pub', [...PUB, ...v5, '-x', '0']).sessionExpiry, undefined)
    assert.deepEqual(config('pub', [...PUB, ...v5, '-x', '0']).properties, {})
    assert.equal(config('pub', [...PUB, '-x', '60']).sessionExpiry, undefined)
  })
  it('v5 -c without -x means never expires (needs -i); with -x that value', () => {
    assert.equal(config('pub', [...PUB, ...v5, '-c']).sessionExpiry, 4294967295)
    assert.equal(config('pub', [...PUB, ...v5, '-c', '-x', '30']).sessionExpiry, 30)
    assert.equal(config('pub', [...PUB, '-V', '5', '-x', '30']).clientId, '')
  })
  it('v3 -c with -i keeps the session', () => {
    const c = config('sub', ['-t', 'a', '-c', '-i', 'me'])
    assert.deepEqual([c.clean, c.clientId, c.sessionExpiry], [false, 'me', undefined])
  })
  it('-I appends the process id', () => {
    const c = config('pub', [...PUB, '-I', 'pre'], { pid: 16614 })
    assert.deepEqual([c.clientId, c.idPrefix], ['pre16614', 'pre'])
    assert.equal(config('pub', [...PUB, '-I', ''], { pid: 7 }).clientId, '7')
  })
})

describe('passwords (contract 6: not only argv)', () => {
  const env = (extra: NodeJS.ProcessEnv) => ({ XDG_CONFIG_HOME: '/xdg', ...extra })
  it('TSMQTT_PASSWORD is used when a username is given without a password option', () => {
    const c = config('pub', [...PUB, '-u', 'bob'], { env: env({ TSMQTT_PASSWORD: 's3' }) })
    assert.deepEqual([c.password, c.passwordSource], ['s3', { kind: 'env' }])
  })
  it('TSMQTT_PASSWORD is ignored without a username, or when -P / --pw-* is given', () => {
    assert.equal(config('pub', PUB, { env: env({ TSMQTT_PASSWORD: 's3' }) }).password, undefined)
    const c = config('pub', [...PUB, '-u', 'bob', '-P', 'p'], { env: env({ TSMQTT_PASSWORD: 's3' }) })
    assert.deepEqual([c.password, c.passwordSource], ['p', { kind: 'argv' }])
    const d = config('pub', [...PUB, '-u', 'bob', '--pw-prompt'], { env: env({ TSMQTT_PASSWORD: 's3' }) })
    assert.deepEqual([d.password, d.passwordSource], [undefined, { kind: 'prompt' }])
  })
  it('--pw-file records the path; the last password option wins', () => {
    assert.deepEqual(config('pub', [...PUB, '-u', 'u', '--pw-file', '/run/pw']).passwordSource, { kind: 'file', path: '/run/pw' })
    const c = config('pub', [...PUB, '-u', 'u', '-P', 'p', '--pw-file', 'f'])
    assert.deepEqual([c.password, c.passwordSource], [undefined, { kind: 'file', path: 'f' }])
    const d = config('pub', [...PUB, '-u', 'u', '--pw-prompt', '-P', 'p'])
    assert.deepEqual([d.password, d.passwordSource], ['p', { kind: 'argv' }])
  })
  it('v5 allows a password without a username', () => {
    assert.equal(config('pub', [...PUB, '-V', '5', '-P', 'p']).password, 'p')
  })
})

describe('transport: ports, TLS, unix socket, proxy', () => {
  const files = { files: { '/ca.pem': 'CA', '/c.pem': 'C', '/k.pem': 'K' } }
  it('--cafile / --capath / --psk default the port to 8883', () => {
    const c = config('pub', [...PUB, '--cafile', '/ca.pem'], files)
    assert.equal(c.port, 8883)
    assert.deepEqual(c.tls, { cafile: '/ca.pem', useOsCerts: false, insecure: false })
    assert.equal(config('pub', [...PUB, '--capath', '/certs']).port, 8883)
    assert.equal(config('pub', [...PUB, '--psk', 'beef', '--psk-identity', 'me']).tls?.psk, 'beef')
    assert.equal(config('pub', [...PUB, '--cafile', '/ca.pem', '-p', '1'], files).port, 1)
  })
  it('-p 8883 alone turns TLS on with the system store; --tls-use-os-certs on any port', () => {
    assert.deepEqual(config('pub', [...PUB, '-p', '8883']).tls, { useOsCerts: true, insecure: false })
    assert.equal(config('pub', [...PUB, '--tls-use-os-certs']).port, 1883)
    assert.equal(config('pub', [...PUB, '--tls-use-os-certs']).tls?.useOsCerts, true)
    assert.equal(config('pub', [...PUB, '--insecure']).tls, undefined)
  })
  it('TLS details are passed on', () => {
    const c = config('pub', [...PUB, '--cafile', '/ca.pem', '--cert', '/c.pem', '--key', '/k.pem', '--keyform', 'pem',
      '--ciphers', 'HIGH', '--tls-version', 'TLSv1.3', '--tls-alpn', 'mqtt', '--insecure'], files)
    assert.deepEqual(c.tls, { cafile: '/ca.pem', certfile: '/c.pem', keyfile: '/k.pem', keyform: 'pem', ciphers: 'HIGH',
      version: 'tlsv1.3', alpn: 'mqtt', useOsCerts: false, insecure: true })
  })
  it('--unix: port 0 and the path; a later -p goes back to TCP', () => {
    const c = config('pub', [...PUB, '--unix', '/tmp/m.sock'])
    assert.deepEqual([c.host, c.port, c.unixPath], ['/tmp/m.sock', 0, '/tmp/m.sock'])
    assert.equal(config('pub', [...PUB, '--unix', '/tmp/m.sock', '-p', '1883']).unixPath, undefined)
  })
  it('--proxy socks5h URLs', () => {
    assert.deepEqual(config('pub', [...PUB, '--proxy', 'socks5h://p']).proxy, { host: 'p', port: 1080 })
    assert.deepEqual(config('pub', [...PUB, '--proxy', 'socks5h://p:9050']).proxy, { host: 'p', port: 9050 })
    assert.deepEqual(config('pub', [...PUB, '--proxy', 'socks5h://u@p']).proxy, { host: 'p', port: 1080, username: 'u' })
    assert.deepEqual(config('pub', [...PUB, '--proxy', 'socks5h://u%3a1:p%25w%40@p:1']).proxy,
      { host: 'p', port: 1, username: 'u:1', password: 'p%w@' })
  })
  it('-A, --nodelay', () => {
    const c = config('pub', [...PUB, '-A', '127.0.0.2', '--nodelay'])
    assert.deepEqual([c.bindAddress, c.noDelay], ['127.0.0.2', true])
  })
})

describe('publish options', () => {
  it('payload modes', () => {
    assert.deepEqual(config('pub', ['-t', 't', '-f', '/data.bin']).payload, { mode: 'file', path: '/data.bin' })
    assert.deepEqual(config('pub', ['-t', 't', '-s']).payload, { mode: 'stdin-file' })
    assert.deepEqual(config('pub', ['-t', 't', '-l']).payload, { mode: 'stdin-line' })
    assert.deepEqual(config('pub', ['-t', 't', '-n']).payload, { mode: 'null' })
    assert.deepEqual(config('pub', ['-t', 't', '-m', 'héllo']).payload, { mode: 'message', payload: Buffer.from('héllo', 'utf8') })
    assert.deepEqual(config('pub', ['-t', 't', '-m', '']).payload, { mode: 'message', payload: Buffer.alloc(0) })
  })
  it('-r, --repeat, --repeat-delay', () => {
    const c = config('pub', [...PUB, '-r', '--repeat', '3', '--repeat-delay', '0.5'])
    assert.deepEqual([c.retain, c.repeat, c.repeatDelay], [true, 3, 0.5])
  })
  it('will', () => {
    const c = config('pub', [...PUB, '--will-topic', 'w', '--will-payload', 'gone', '--will-qos', '2', '--will-retain'])
    assert.deepEqual(c.will, { topic: 'w', payload: Buffer.from('gone'), qos: 2, retain: true })
    assert.deepEqual(config('pub', [...PUB, '--will-topic', 'w']).will, { topic: 'w', payload: Buffer.alloc(0), qos: 0, retain: false })
  })
})

describe('subscribe and output options', () => {
  it('tssub flags', () => {
    const c = config('sub', ['-t', 'a', '-v', '-N', '--pretty', '-C', '5', '-E', '-W', '9', '-R', '--remove-retained',
      '--retain-as-published', '--random-filter', '50', '--json', '--no-color', '-F', '%t %p', '-d', '--quiet'])
    assert.deepEqual([c.verbose, c.noEol, c.pretty, c.count, c.exitAfterSuback, c.timeout, c.noRetained, c.removeRetained,
      c.retainAsPublished, c.randomFilter, c.json, c.noColor, c.format, c.debug, c.quiet],
    [true, true, true, 5, true, 9, true, true, true, 50, true, true, '%t %p', true, true])
  })
  it('--retained-only; --random-filter keeps 0.1 steps (truncating like (int)(10*atof))', () => {
    assert.equal(config('sub', ['-t', 'a', '--retained-only']).retainedOnly, true)
    assert.equal(config('sub', ['-t', 'a', '--random-filter', '0.15']).randomFilter, 0.1)
    assert.equal(config('sub', ['-t', 'a', '--random-filter', '100']).randomFilter, undefined)
    assert.equal(config('sub', ['-t', 'a', '--random-filter', '1000']).randomFilter, undefined)
    assert.equal(config('sub', ['-t', 'a', '--random-filter', '99.9']).randomFilter, 99.9)
  })
  it('tsrr accepts the output options of tssub that make sense for one message', () => {
    const c = config('rr', ['-t', 'a', '-e', 'r', '-n', '-v', '-N', '--pretty', '-W', '3', '-R', '--retain-as-published', '-F', '%p', '--json'])
    assert.deepEqual([c.verbose, c.noEol, c.pretty, c.timeout, c.noRetained, c.retainAsPublished, c.format, c.json],
      [true, true, true, 3, true, true, '%p', true])
  })
  it('-F is validated at parse time by the formatter', () => {
    const r = (() => { try { parse('sub', ['-t', 'a', '-F', '%z']); return '' } catch (e) { return (e as Error).message } })()
    assert.equal(r, "Invalid format specifier 'z'.")
  })
})
