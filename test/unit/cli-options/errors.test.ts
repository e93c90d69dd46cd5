// Every parse-time error of mosquitto_pub/sub/rr 2.0.11 (reference §1.4, §6.1, §6.2, §1.3), exact text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Tool } from '../../../src/cli/options/index.js'
import { failure, usage } from '../../helpers/cli-options.js'

type Row = [tool: Tool, argv: string[], stderr: string]

const PUB_OK = ['-t', 't', '-m', 'x']

function table(rows: readonly Row[]): void {
  for (const [tool, argv, stderr] of rows) {
    it(`ts${tool} ${argv.join(' ')}`, () => assert.equal(failure(tool, argv).stderr, stderr))
  }
}

describe('missing option values: "<opt> argument given but no <thing> specified." + two blank lines', () => {
  const rows: [Tool, string, string][] = [
    ['pub', '-A', '-A argument given but no address specified.'],
    ['pub', '--cafile', '--cafile argument given but no file specified.'],
    ['pub', '--capath', '--capath argument given but no directory specified.'],
    ['pub', '--cert', '--cert argument given but no file specified.'],
    ['pub', '--ciphers', '--ciphers argument given but no ciphers specified.'],
    ['sub', '-C', '-C argument given but no count specified.'],
    ['rr', '-e', '-e argument given but no response topic specified.'],
    ['pub', '-f', '-f argument given but no file specified.'],
    ['sub', '-F', '-F argument given but no format specified.'],
    ['pub', '-h', '-h argument given but no host specified.'],
    ['pub', '--host', '-h argument given but no host specified.'],
    ['pub', '-i', '-i argument given but no id specified.'],
    ['sub', '--id', '-i argument given but no id specified.'],
    ['pub', '-I', '-I argument given but no id prefix specified.'],
    ['pub', '-k', '-k argument given but no keepalive specified.'],
    ['pub', '--key', '--key argument given but no file specified.'],
    ['pub', '--keyform', '--keyform argument given but no keyform specified.'],
    ['pub', '-L', '-L argument given but no URL specified.'],
    ['pub', '-m', '-m argument given but no message specified.'],
    ['pub', '-M', '-M argument given but max_inflight not specified.'],
    ['pub', '-p', '-p argument given but no port specified.'],
    ['pub', '-P', '-P argument given but no password specified.'],
    ['pub', '--proxy', '--proxy argument given but no proxy url specified.'],
    ['pub', '--psk', '--psk argument given but no key specified.'],
    ['pub', '--psk-identity', '--psk-identity argument given but no identity specified.'],
    ['pub', '-q', '-q argument given but no QoS specified.'],
    ['sub', '--qos', '-q argument given but no QoS specified.'],
    ['sub', '--random-filter', '--random-filter argument given but no chance specified.'],
    ['pub', '--repeat', '--repeat argument given but no count specified.'],
    ['pub', '--repeat-delay', '--repeat-delay argument given but no time specified.'],
    ['pub', '-t', '-t argument given but no topic specified.'],
    ['sub', '-T', '-T argument given but no topic filter specified.'],
    ['pub', '--tls-alpn', '--tls-alpn argument given but no protocol specified.'],
    ['pub', '--tls-engine', '--tls-engine argument given but no engine_id specified.'],
    ['pub', '--tls-engine-kpass-sha1', '--tls-engine-kpass-sha1 argument given but no kpass sha1 specified.'],
    ['pub', '--tls-version', '--tls-version argument given but no version specified.'],
    ['sub', '-U', '-U argument given but no unsubscribe topic specified.'],
    ['pub', '-u', '-u argument given but no username specified.'],
    ['pub', '--unix', '--unix argument given but no socket path specified.'],
    ['pub', '-V', '--protocol-version argument given but no version specified.'],
    ['pub', '--protocol-version', '--protocol-version argument given but no version specified.'],
    ['sub', '-W', '-W argument given but no timeout specified.'],
    ['pub', '--will-payload', '--will-payload argument given but no will payload specified.'],
    ['pub', '--will-qos', '--will-qos argument given but no will QoS specified.'],
    ['pub', '--will-topic', '--will-topic argument given but no will topic specified.'],
    ['pub', '-x', '-x argument given but no session expiry interval specified.'],
    ['pub', '--pw-file', '--pw-file argument given but no file specified.'],
  ]
  for (const [tool, flag, message] of rows) {
    it(`ts${tool} ... ${flag}`, () => assert.equal(failure(tool, ['-t', 'a', flag]).stderr, usage(tool, message, 2)))
  }
})

describe('options a tool does not accept are unknown, as are bundles, --opt=value and stray words', () => {
  const rows: [Tool, string[]][] = [
    ['pub', ['-v']], ['pub', ['-N']], ['pub', ['-F', '%t']], ['pub', ['-C', '1']], ['pub', ['-W', '1']],
    ['pub', ['-R']], ['pub', ['-E']], ['pub', ['-e', 'r']], ['pub', ['--pretty']], ['pub', ['--json']],
    ['sub', ['-m', 'x']], ['sub', ['-f', 'x']], ['sub', ['-r']], ['sub', ['-l']], ['sub', ['-n']], ['sub', ['-s']],
    ['sub', ['--repeat', '2']], ['sub', ['-e', 'r']],
    ['rr', ['-r']], ['rr', ['-l']], ['rr', ['-C', '1']], ['rr', ['-E']], ['rr', ['-T', 'a']], ['rr', ['-U', 'a']],
    ['rr', ['--retained-only']], ['rr', ['--remove-retained']], ['rr', ['--random-filter', '5']],
    ['pub', ['-S']], ['sub', ['-vd']], ['pub', ['--qos=1']], ['pub', ['foo']], ['pub', ['--hel']], ['pub', ['-']],
    ['pub', ['-o', 'file']], ['sub', ['--quic']],
  ]
  for (const [tool, argv] of rows) {
    it(`ts${tool} ${argv.join(' ')}`, () => {
      assert.equal(failure(tool, ['-t', 'a', ...argv]).stderr, usage(tool, `Unknown option '${argv[0]}'.`))
    })
  }
})

describe('bad values (reference §1.2)', () => {
  table([
    ['pub', [...PUB_OK, '-p', '70000'], usage('pub', 'Invalid port given: 70000')],
    ['pub', [...PUB_OK, '-p', '-1'], usage('pub', 'Invalid port given: -1')],
    ['pub', [...PUB_OK, '-k', 'abc'], usage('pub', 'Invalid keepalive given, it must be between 5 and 65535 inclusive.', 2)],
    ['pub', [...PUB_OK, '-k', '4'], usage('pub', 'Invalid keepalive given, it must be between 5 and 65535 inclusive.', 2)],
    ['pub', [...PUB_OK, '-k', '65536'], usage('pub', 'Invalid keepalive given, it must be between 5 and 65535 inclusive.', 2)],
    ['pub', ['-t', 'a', '-q', '3', '-m', 'x'], usage('pub', 'Invalid QoS given: 3')],
    ['sub', ['-t', 'a', '-q', '-1'], usage('sub', 'Invalid QoS given: -1')],
    ['pub', [...PUB_OK, '--will-qos', '3'], usage('pub', 'Invalid will QoS 3.', 2)],
    ['pub', [...PUB_OK, '-M', '0'], usage('pub', 'Maximum inflight messages must be greater than 0.', 2)],
    ['sub', ['-t', 'a', '-C', 'abc'], usage('sub', 'Invalid message count "0".', 2)],
    ['sub', ['-t', 'a', '-C', '-5'], usage('sub', 'Invalid message count "-5".', 2)],
    ['sub', ['-t', 'a', '-W', '0'], usage('sub', 'Invalid timeout "0".', 2)],
    ['rr', ['-W', 'x'], usage('rr', 'Invalid timeout "0".', 2)],
    ['pub', [...PUB_OK, '--repeat', '0'], usage('pub', '--repeat argument must be >0.', 2)],
    ['pub', [...PUB_OK, '--repeat-delay', '-0.5'], usage('pub', '--repeat-delay argument must be >=0.0.', 2)],
    ['sub', ['-t', 'a', '--random-filter', '0'], usage('sub', '--random-filter chance must be between 0.1-100.0', 2)],
    ['sub', ['-t', 'a', '--random-filter', '0.09'], usage('sub', '--random-filter chance must be between 0.1-100.0', 2)],
    ['sub', ['-t', 'a', '--random-filter', '1000.1'], usage('sub', '--random-filter chance must be between 0.1-100.0', 2)],
    ['sub', ['-t', 'a', '--random-filter', 'inf'], usage('sub', '--random-filter chance must be between 0.1-100.0', 2)],
    ['pub', [...PUB_OK, '-V', '3.1.1'], usage('pub', 'Invalid protocol version argument given.', 2)],
    ['pub', [...PUB_OK, '-V', 'v5'], usage('pub', 'Invalid protocol version argument given.', 2)],
    ['pub', [...PUB_OK, '-x', 'abc'], usage('pub', 'session-expiry-interval not a number.', 2)],
    ['pub', [...PUB_OK, '-x', '5 '], usage('pub', 'session-expiry-interval not a number.', 2)],
    ['pub', [...PUB_OK, '-x', ''], usage('pub', 'session-expiry-interval not a number.', 2)],
    ['pub', [...PUB_OK, '-x', '08'], usage('pub', 'session-expiry-interval not a number.', 2)],
    ['pub', [...PUB_OK, '-x', '0x'], usage('pub', 'session-expiry-interval not a number.', 2)],
    ['pub', [...PUB_OK, '-x', '4294967296'], usage('pub', 'session-expiry-interval out of range.', 2)],
    ['pub', [...PUB_OK, '-x', '-2'], usage('pub', 'session-expiry-interval out of range.', 2)],
    ['pub', [...PUB_OK, '-i', 'a', '-I', 'b'], usage('pub', '-i and -I argument cannot be used together.', 2)],
    ['sub', ['-I', 'b', '--id', 'a'], usage('sub', '-i and -I argument cannot be used together.', 2)],
    ['pub', ['-m', 'a', '-f', 'b'], usage('pub', 'Only one type of message can be sent at once.', 2)],
    ['pub', ['-n', '-s'], usage('pub', 'Only one type of message can be sent at once.', 2)],
    ['pub', ['-l', '-m'], usage('pub', 'Only one type of message can be sent at once.', 2)],
    ['rr', ['-m', 'a', '-n'], usage('rr', 'Only one type of message can be sent at once.', 2)],
  ])
})

describe('topics: wildcards and UTF-8', () => {
  table([
    ['pub', ['-t', 'a/+', '-m', 'x'], usage('pub', "Invalid publish topic 'a/+', does it contain '+' or '#'?")],
    ['pub', ['-t', 'a#', '-m', 'x'], usage('pub', "Invalid publish topic 'a#', does it contain '+' or '#'?")],
    ['rr', ['-t', 'a/#'], usage('rr', "Invalid publish topic 'a/#', does it contain '+' or '#'?")],
    ['sub', ['-t', 'a/#/b'], usage('sub', "Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?")],
    ['sub', ['-t', 'a+'], usage('sub', "Invalid subscription topic 'a+', are all '+' and '#' wildcards correct?")],
    ['sub', ['-t', 'a', '-T', 'a#'], usage('sub', "Invalid filter topic 'a#', are all '+' and '#' wildcards correct?")],
    ['sub', ['-t', 'a', '-U', 'a+b'], usage('sub', "Invalid unsubscribe topic 'a+b', are all '+' and '#' wildcards correct?")],
    ['rr', ['-e', 'r/+'], usage('rr', "Invalid response topic 'r/+', does it contain '+' or '#'?")],
    ['pub', ['--will-topic', 'w/#'], usage('pub', "Invalid will topic 'w/#', does it contain '+' or '#'?")],
    ['pub', ['-t', 'bad\uFFFD'], usage('pub', 'Malformed UTF-8 in -t argument.', 2)],
    ['sub', ['-t', 'tab\there'], usage('sub', 'Malformed UTF-8 in -t argument.', 2)],
    ['sub', ['-t', 'a', '-T', '\uD800'], usage('sub', 'Malformed UTF-8 in -T argument.', 2)],
    ['sub', ['-t', 'a', '-U', 'x\u0085'], usage('sub', 'Malformed UTF-8 in -U argument.', 2)],
    ['rr', ['-e', '\uFFFE'], usage('rr', 'Malformed UTF-8 in -e argument.', 2)],
    ['pub', ['--will-topic', '\u0001'], usage('pub', 'Malformed UTF-8 in --will-topic argument.', 2)],
    ['pub', ['-L', 'mqtt://h/\uFDD0'], usage('pub', 'Malformed UTF-8 in -L topic argument.', 2)],
  ])
})

describe('-L and --proxy URLs', () => {
  table([
    ['pub', ['-L', 'http://h/t'], usage('pub', 'unsupported URL scheme.', 2)],
    ['pub', ['-L', 'h/t'], usage('pub', 'unsupported URL scheme.', 2)],
    ['pub', ['-L', 'mqtt://host'], usage('pub', 'Invalid URL for -L argument specified - topic missing.')],
    ['sub', ['-L', 'mqtt://h/a/#/b'], usage('sub', "Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?")],
    ['pub', [...PUB_OK, '--proxy', 'http://p'], usage('pub', 'Unsupported proxy protocol: http://p')],
    ['pub', [...PUB_OK, '--proxy', 'socks5h://p:0'], usage('pub', 'Invalid proxy port 0')],
    ['pub', [...PUB_OK, '--proxy', 'socks5h://p:70000'], usage('pub', 'Invalid proxy port 70000')],
    ['pub', [...PUB_OK, '--proxy', 'socks5h://'], usage('pub', 'Invalid proxy.')],
    ['pub', [...PUB_OK, '--proxy', 'socks5h://u:p@'], usage('pub', 'Invalid proxy.')],
    ['pub', [...PUB_OK, '--proxy', 'socks5h://u%2@h'], usage('pub', 'Invalid proxy.')],
  ])
})

describe('-D / --property (reference §6.2)', () => {
  const bare = (tool: Tool, line: string) => `${line}\n\nUse 'ts${tool} --help' to see usage.\n`
  table([
    ['pub', [...PUB_OK, '-D', 'publish', 'content-type'], usage('pub', '--property argument given but not enough arguments specified.', 2)],
    ['pub', [...PUB_OK, '-D'], usage('pub', '--property argument given but not enough arguments specified.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'user-property', 'k'], usage('pub', '--property argument given but not enough arguments specified.', 2)],
    ['pub', [...PUB_OK, '-D', 'foo', 'content-type', 'x'], usage('pub', 'Invalid command given in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'foo', 'x'], usage('pub', 'Invalid property name given in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'connect', 'content-type', 'x'], usage('pub', 'content-type property not allowed for connect in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'CONNECT', 'Content-Type', 'x'], usage('pub', 'Content-Type property not allowed for CONNECT in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'receive-maximum', '5'], usage('pub', 'receive-maximum property not allowed for publish in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'will', 'reason-string', 'x'], usage('pub', 'reason-string property not allowed for will in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'subscription-identifier', '1'], usage('pub', 'subscription-identifier property not supported for publish in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'auth', 'authentication-method', 'x'], usage('pub', 'authentication-method property not supported for auth in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'puback', 'reason-string', 'x'], usage('pub', 'reason-string property not supported for puback in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'pubcomp', 'user-property', 'k', 'v'], usage('pub', 'user-property property not supported for pubcomp in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'connack', 'maximum-qos', '1'], usage('pub', 'maximum-qos property not supported for connack in --property argument.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'payload-format-indicator', '256'], usage('pub', 'Property value (256) out of range for property payload-format-indicator.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'payload-format-indicator', '-1'], usage('pub', 'Property value (-1) out of range for property payload-format-indicator.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'topic-alias', '65536'], usage('pub', 'Property value (65536) out of range for property topic-alias.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'message-expiry-interval', '4294967296'], usage('pub', 'Property value (4294967296) out of range for property message-expiry-interval.', 2)],
    ['sub', ['-t', 'a', '-D', 'subscribe', 'subscription-identifier', '268435456'], bare('sub', 'Error adding property subscription-identifier 4')],
    ['pub', [...PUB_OK, '-D', 'publish', 'content-type', 'bad\uFFFD'], bare('pub', 'Error adding property content-type 6')],
    ['pub', [...PUB_OK, '-D', 'publish', 'user-property', '\u0001', 'v'], bare('pub', 'Error adding property user-property 7')],
    ['pub', [...PUB_OK, '-D', 'publish', 'correlation-data', 'x'.repeat(65536)], usage('pub', 'Property value too long for property correlation-data.', 2)],
    ['pub', [...PUB_OK, '-D', 'publish', 'response-topic', 'x', '-D', 'publish', 'response-topic', 'y'], bare('pub', 'Error in PUBLISH properties: Duplicate property in property list')],
    ['pub', [...PUB_OK, '-D', 'connect', 'receive-maximum', '0'], bare('pub', 'Error in CONNECT properties: A network protocol error occurred when communicating with the broker.')],
    ['pub', [...PUB_OK, '-D', 'connect', 'maximum-packet-size', '0'], bare('pub', 'Error in CONNECT properties: A network protocol error occurred when communicating with the broker.')],
    ['pub', [...PUB_OK, '-D', 'connect', 'request-problem-information', '2'], bare('pub', 'Error in CONNECT properties: A network protocol error occurred when communicating with the broker.')],
    ['pub', [...PUB_OK, '-D', 'publish', 'topic-alias', '0'], bare('pub', 'Error in PUBLISH properties: A network protocol error occurred when communicating with the broker.')],
    ['pub', [...PUB_OK, '-x', '10', '-D', 'connect', 'session-expiry-interval', '5'], bare('pub', 'Error in CONNECT properties: Duplicate property in property list')],
    ['pub', [...PUB_OK, '-i', 'c', '-c', '-D', 'connect', 'session-expiry-interval', '5'], bare('pub', 'Error in CONNECT properties: Duplicate property in property list')],
    ['sub', ['-t', 'a', '-D', 'subscribe', 'subscription-identifier', '1', '-D', 'subscribe', 'subscription-identifier', '2'], bare('sub', 'Error in SUBSCRIBE properties: Duplicate property in property list')],
    ['sub', ['-t', 'a', '-D', 'disconnect', 'reason-string', '1', '-D', 'disconnect', 'reason-string', '2'], bare('sub', 'Error in DISCONNECT properties: Duplicate property in property list')],
    ['pub', [...PUB_OK, '-D', 'will', 'content-type', 'a', '-D', 'will', 'content-type', 'b'], bare('pub', 'Error in Will properties: Duplicate property in property list')],
  ])
})

describe('consistency rules after parsing (reference §1.3), in order', () => {
  table([
    ['pub', [...PUB_OK, '--will-payload', 'x'], usage('pub', 'Will payload given, but no will topic given.')],
    ['pub', [...PUB_OK, '--will-retain'], usage('pub', 'Will retain given, but no will topic given.')],
    ['pub', [...PUB_OK, '--cert', 'c'], usage('pub', 'Both certfile and keyfile must be provided if one of them is set.')],
    ['pub', [...PUB_OK, '--key', 'k'], usage('pub', 'Both certfile and keyfile must be provided if one of them is set.')],
    ['pub', [...PUB_OK, '--keyform', 'pem'], usage('pub', 'If keyform is set, keyfile must be also specified.')],
    ['pub', [...PUB_OK, '--tls-engine-kpass-sha1', 'ab'], usage('pub', 'when using tls-engine-kpass-sha1, both tls-engine and keyform must also be provided.')],
    ['pub', [...PUB_OK, '--psk', 'aa', '--cafile', 'ca'], usage('pub', 'Only one of --psk or --cafile/--capath may be used at once.')],
    ['pub', [...PUB_OK, '--psk', 'aa'], usage('pub', '--psk-identity required if --psk used.')],
    ['pub', [...PUB_OK, '-c'], usage('pub', 'You must provide a client id if you are using the -c option.')],
    ['pub', [...PUB_OK, '-c', '-I', 'p'], usage('pub', 'You must provide a client id if you are using the -c option.')],
    ['pub', [...PUB_OK, '-V', '5', '-c'], usage('pub', 'You must provide a client id if you are using an infinite session expiry interval.')],
    ['sub', ['-t', 'a', '-V', 'mqttv5', '-x', '-1'], usage('sub', 'You must provide a client id if you are using an infinite session expiry interval.')],
    ['sub', ['-t', 'a', '-V', '5', '-x', '∞', '-I', 'p'], usage('sub', 'You must provide a client id if you are using an infinite session expiry interval.')],
    ['rr', ['-t', 'a', '-e', 'r', '-m', 'x', '-x', '4294967295'], usage('rr', 'You must provide a client id if you are using an infinite session expiry interval.')],
    ['sub', ['-v'], usage('sub', 'You must specify a topic to subscribe to.')],
    ['sub', ['-U', 'a'], usage('sub', 'You must specify a topic to subscribe to.')],
    ['rr', ['-t', 'a', '-m', 'x'], usage('rr', 'All of topic, message, and response topic must be supplied.')],
    ['rr', ['-e', 'r', '-m', 'x'], usage('rr', 'All of topic, message, and response topic must be supplied.')],
    ['rr', ['-e', 'r', '-t', 'a'], usage('rr', 'All of topic, message, and response topic must be supplied.')],
  ])
})

describe('checks made after the parser returned: no usage tail', () => {
  table([
    ['sub', ['-t', 'a', '-R', '--retained-only'], "\nError: Combining '-R' and '--retained-only' makes no sense.\n"],
    ['rr', ['-t', 'a', '-e', 'r', '-m', 'x', '-D', 'publish', 'response-topic', 'z'], 'Error in PUBLISH properties: Duplicate response topic.\n'],
    ['pub', [...PUB_OK, '-i', ''], 'Error: Invalid id.\n'],
    ['sub', ['-t', 'a', '-i', ''], 'Error: Invalid id and/or clean_session.\n'],
    ['rr', ['-t', 'a', '-e', 'r', '-n', '--id', ''], 'Error: Invalid id and/or clean_session.\n'],
    ['pub', [...PUB_OK, '-V', '5', '-c', '-x', '10'], 'Error: Invalid id.\n'],
    ['pub', [...PUB_OK, '-P', 'secret'], 'Error: Problem setting username and/or password.\n'],
    ['sub', ['-t', 'a', '--pw-prompt'], 'Error: Problem setting username and/or password.\n'],
    ['sub', ['-t', 'a', '-V', '311', '--pw-file', 'f'], 'Error: Problem setting username and/or password.\n'],
    ['pub', [...PUB_OK, '-u', 'bad\u0007'], 'Error: Problem setting username and/or password.\n'],
    ['pub', [...PUB_OK, '-D', 'will', 'content-type', 'x', '--will-topic', 'w', '-V', '311'], 'Error: Problem setting will.\n'],
    ['pub', [...PUB_OK, '--cafile', '/missing/ca.pem'], 'Error: Problem setting TLS options: File not found.\n'],
    ['pub', [...PUB_OK, '--tls-engine', 'pkcs11'], 'Error: Problem setting TLS engine, is pkcs11 a valid engine?\n'],
    ['pub', [...PUB_OK, '--keyform', 'der', '--cert', 'c', '--key', 'k'], "Error: Problem setting key form, it must be one of 'pem' or 'engine'.\n"],
    ['pub', [...PUB_OK, '--tls-version', 'tlsv1.0'], 'Error: Problem setting TLS options, check the options are valid.\n'],
  ])

  it('tspub without topic or message prints the error, then its synopsis, both on stderr (mosquitto: usage on stdout)', () => {
    for (const argv of [['-t', 'a'], ['-m', 'x'], []]) {
      const f = failure('pub', argv)
      assert.equal(f.stderr, `Error: Both topic and message must be supplied.\n\n${f.usage}`)
      assert.match(f.usage, /^Usage: tspub \{\[-h host\] [^]*\n {7}tspub --help \| --version \| --completion shell\n$/)
      assert.ok(f.usage.split('\n').every((l) => l.length <= 80), f.usage)
    }
  })

  it('a pub error is reported before the tool rule (Will before "Both topic and message")', () => {
    assert.equal(failure('pub', ['--will-retain']).stderr, usage('pub', 'Will retain given, but no will topic given.'))
  })

  it('errors stop parsing at once: the first bad option wins, later --help is never seen', () => {
    assert.equal(failure('pub', ['-q', '3', '--help']).stderr, usage('pub', 'Invalid QoS given: 3'))
    assert.equal(failure('pub', ['-x', 'abc', '-p', '70000']).stderr, usage('pub', 'session-expiry-interval not a number.', 2))
  })
})
