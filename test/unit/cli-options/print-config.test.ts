// --print-config: the format (an options file with comments), where each line came from, what is in
// effect, and that no secret is in it. Also the masks used by errors that repeat a user's words.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { maskGluedSecret, maskUrlPassword } from '../../../src/cli/options/secrets.js'
import { optionsFileSections } from '../../../src/cli/options/options-file.js'
import { parseBrokerUrl } from '../../../src/core/endpoint.js'
import { config, failure, parse, usage, type ParseSetup } from '../../helpers/cli-options.js'

const SECRET = 'hunter2'

function printed(tool: 'pub' | 'sub' | 'rr' | 'bench', argv: string[], o: ParseSetup = {}): string {
  const r = parse(tool, [...argv, '--print-config'], o)
  assert.equal(r.kind, 'config')
  return r.kind === 'config' ? r.text : ''
}

describe('--print-config', () => {
  it('prints the files, the profile, each option under its origin, what is overridden, and what is in effect', () => {
    const text = printed('pub', ['--profile', 'prod', '-t', 'a/b', '-m', 'hi', '-p', '1885'], {
      files: {
        '/xdg/tsmqtt/profiles': '-h shared.example\n[prod]\n-u alice\n--pw-file /run/secrets/mqtt\n',
        '/xdg/tspub': '-p 1884\n-q 1\n[prod]\n-i pub-prod\n',
      },
      env: { XDG_CONFIG_HOME: '/xdg' },
    })
    assert.equal(text, [
      '# tspub --print-config: options in the order they apply; a later line wins.',
      '# Secrets are shown as ********. Options not listed keep their defaults.',
      '# file: /xdg/tsmqtt/profiles',
      '# file: /xdg/tspub',
      '# profile: prod (from --profile)',
      '# from /xdg/tsmqtt/profiles (defaults)',
      '-h shared.example',
      '# from /xdg/tspub (defaults)',
      '#   overridden: -p 1884',
      '-q 1',
      '# from /xdg/tsmqtt/profiles [prod]',
      '-u alice',
      '--pw-file /run/secrets/mqtt',
      '# from /xdg/tspub [prod]',
      '-i pub-prod',
      '# from the command line',
      '-t a/b',
      '-m hi',
      '-p 1885',
      '# in effect:',
      '#   broker: tcp shared.example:1885',
      '#   protocol: mqttv311',
      '#   client id: pub-prod',
      '#   username: alice',
      '#   password: read from /run/secrets/mqtt',
      '',
    ].join('\n'))
  })
  it('tsbench names one client id per connection: the -I prefix and pid, else tsbench- and a random run id', () => {
    assert.match(printed('bench', [], { env: {} }), /\n# {3}client ids: tsbench-<random run id>-p<i> \(publishers\), -s<j> \(subscribers\)\n/)
    assert.match(printed('bench', ['-I', 'lab-'], { env: {}, pid: 42 }), /\n# {3}client ids: lab-42-p<i> \(publishers\), -s<j> \(subscribers\)\n/)
  })
  it('needs no topic or message: it says why the command could not run as is', () => {
    const text = printed('pub', [], { env: {} })
    assert.match(text, /\n# in effect: none, the command cannot run as is: Both topic and message must be supplied\.\n$/)
    assert.match(text, /\n# profile: none\n/)
  })
  it('each option line reads back as an options file meaning the same', () => {
    const text = printed('sub', ['-t', 'a b', '-t', 'c', '-v', '-k', '30', '-h', 'h'], { env: {} })
    const lines = optionsFileSections(text, '-').defaults.map((l) => l.words)
    assert.deepEqual(lines, [['-t', 'a b'], ['-t', 'c'], ['-v'], ['-k', '30'], ['-h', 'h']])
  })
  it('sub accumulates -t; a later password option replaces an earlier one', () => {
    const text = printed('sub', ['-t', 'a', '-t', 'b', '-u', 'u', '-P', 'one', '--pw-file', '/f'], { env: {} })
    assert.match(text, /\n-t a\n-t b\n-u u\n# {3}overridden: -P \*{8}\n--pw-file \/f\n/)
  })
  it('-L replaces the -h, -p, -u and password before it; a later -h replaces only part of it', () => {
    const text = printed('pub', ['-h', 'a', '-p', '1', '-u', 'u', '-P', 'p', '-q', '1', '-L', 'mqtt://v:w@b:2/t', '-h', 'c', '-m', 'x'], { env: {} })
    assert.match(text, /\n# {3}overridden: -h a\n# {3}overridden: -p 1\n# {3}overridden: -u u\n# {3}overridden: -P \*{8}\n-q 1\n-L mqtt:\/\/v:\*{8}@b:2\/t\n-h c\n/)
    assert.match(text, /\n# {3}broker: tcp c:2\n/)
    const sub = printed('sub', ['-L', 'mqtt://b/t', '-h', 'c', '-p', '3'], { env: {} })
    assert.match(sub, /\n-L mqtt:\/\/b\/t\n/) // its topic is still subscribed to
  })
  it('tsrr and tssub report too (with a tool-specific effective config)', () => {
    assert.match(printed('rr', ['-t', 'q', '-e', 'r', '-m', 'x'], { env: {} }), /\n# {3}protocol: mqttv5\n/)
    assert.match(printed('sub', ['-t', 'x', '--unix', '/run/m.sock'], { env: {} }), /\n# {3}broker: unix \/run\/m.sock\n/)
  })
  it('TSMQTT_PASSWORD: shown as masked, from the environment, replacing a file password', () => {
    const text = printed('pub', ['-t', 't', '-n'], { optionsFile: `-u bob\n-P ${SECRET}\n`, env: { XDG_CONFIG_HOME: '/xdg', TSMQTT_PASSWORD: 'envsecret' } })
    assert.match(text, /\n-u bob\n# {3}overridden by TSMQTT_PASSWORD: -P \*{8}\n/)
    assert.match(text, /\n# from the environment\n# {3}password: \*{8} \(from TSMQTT_PASSWORD\)\n# in effect:\n/)
    assert.match(text, /\n# {3}password: \*{8} \(from TSMQTT_PASSWORD\)\n$/)
  })
})

describe('no secret in --print-config', () => {
  const cases: Array<[string, string[], ParseSetup?]> = [
    ['-P', ['-u', 'u', '-P', SECRET]],
    ['-P in a profile', ['--profile', 'p'], { optionsFile: `[p]\n-u u\n-P ${SECRET}\n` }],
    ['-L user:pass@', ['-L', `mqtt://u:${SECRET}@h/t`]],
    ['-L with a port', ['-L', `mqtts://u:${SECRET}@h:1/t`]],
    ['--proxy', ['--proxy', `socks5h://u:${SECRET}@proxy:1080`]],
    ['--psk', ['--psk', `ab${SECRET.length}cd`, '--psk-identity', 'id']],
    ['--tls-engine-kpass-sha1', ['--tls-engine-kpass-sha1', SECRET]],
    ['-D authentication-data', ['-V', '5', '-D', 'connect', 'authentication-method', 'm', '-D', 'connect', 'authentication-data', SECRET]],
    ['TSMQTT_PASSWORD', ['-u', 'u'], { env: { TSMQTT_PASSWORD: SECRET } }],
    ['TSMQTT_PASSWORD over a file -P', ['-u', 'u'], { optionsFile: `-P ${SECRET}x\n`, env: { XDG_CONFIG_HOME: '/xdg', TSMQTT_PASSWORD: SECRET } }],
  ]
  for (const [name, argv, o] of cases) {
    it(name, () => {
      const text = printed('pub', ['-t', 't', '-n', ...argv], o ?? { env: {} })
      const secret = name === '--psk' ? `ab${SECRET.length}cd` : SECRET
      assert.ok(!text.includes(secret), text)
      assert.match(text, /\*{8}/)
    })
  }
})

describe('no secret in error messages', () => {
  it('a password glued to -P is no option, and is not repeated', () => {
    assert.equal(failure('pub', ['-t', 't', '-n', `-P${SECRET}`], { env: {} }).stderr, usage('pub', "Unknown option '-P********'."))
    assert.equal(failure('pub', ['-t', 't', '-n', `--pw=${SECRET}`], { env: {} }).stderr, usage('pub', "Unknown option '--pw=********'."))
    assert.equal(maskGluedSecret('-p'), '-p')
    assert.equal(maskGluedSecret('-P'), '-P')
  })
  it('nor glued to any other secret option, nor inside a URL glued to -L, --url= or --proxy=', () => {
    const cases: Array<[string, string]> = [
      [`-Lmqtt://u:${SECRET}@h/t`, '-Lmqtt://u:********@h/t'],
      [`--url=mqtt://u:${SECRET}@h/t`, '--url=mqtt://u:********@h/t'],
      [`--proxy=socks5h://u:${SECRET}@p:1080`, '--proxy=socks5h://u:********@p:1080'],
      [`--psk=${SECRET}`, '--psk=********'],
      [`--tls-engine-kpass-sha1=${SECRET}`, '--tls-engine-kpass-sha1=********'],
    ]
    for (const [word, shown] of cases) {
      assert.equal(failure('pub', ['-t', 't', '-n', word], { env: {} }).stderr, usage('pub', `Unknown option '${shown}'.`), word)
    }
  })
  it('--proxy with an unsupported scheme: the URL is repeated without its password', () => {
    assert.equal(failure('pub', ['-t', 't', '-n', '--proxy', `http://u:${SECRET}@p:3128`], { env: {} }).stderr,
      usage('pub', 'Unsupported proxy protocol: http://u:********@p:3128'))
  })
  it('-L refuses a URL whose password held "@" or "/" (mosquitto would connect with its pieces as host or topic)', () => {
    for (const url of [`mqtt://u:ab@${SECRET}@h/t`, `mqtt://u:ab/${SECRET}@h/t`, 'mqtt://h:12x/t', 'mqtt://h:/t']) {
      assert.equal(failure('pub', ['-L', url, '-m', 'x'], { env: {} }).stderr, usage('pub', "Invalid URL for -L argument specified - the port is not a number, or the host holds '@' (a password with '@' or '/' cannot be given in the URL: use --pw-file or TSMQTT_PASSWORD)."), url)
    }
    assert.equal(config('pub', ['-L', 'mqtt://u:p@h:1884/a@b', '-m', 'x'], { env: {} }).topic, 'a@b')
  })
  it('every option error for a URL with a password leaves it out', () => {
    for (const argv of [['-L', `mqtt://u:${SECRET}@h`], ['-L', `ftp://u:${SECRET}@h/t`], ['-L', `mqtt://u:${SECRET}@h:99999/t`],
      ['--proxy', `socks5h://u:${SECRET}@`], ['--proxy', `socks5h://u:${SECRET}@h:0`], ['--proxy', `socks5://u:${SECRET}@h`]]) {
      let text = ''
      try { text = failure('pub', ['-t', 't', '-n', ...argv], { env: {} }).stderr } catch { /* it parsed: nothing printed */ }
      assert.ok(!text.includes(SECRET), text)
    }
  })
  it('the library URL parser masks the password in its errors', () => {
    assert.throws(() => parseBrokerUrl(`mqtt://u:${SECRET}@:1883`), (e: Error) => !e.message.includes(SECRET) && e.message.includes('********'))
    assert.throws(() => parseBrokerUrl(`unix://u:${SECRET}@`), (e: Error) => !e.message.includes(SECRET))
  })
  it('maskUrlPassword: from the first ":" of the authority to the last "@"', () => {
    assert.equal(maskUrlPassword('mqtt://u:p@h/t'), 'mqtt://u:********@h/t')
    assert.equal(maskUrlPassword('mqtt://u:p@q/r@h/t'), 'mqtt://u:********@h/t')
    assert.equal(maskUrlPassword('u:p@h'), 'u:********@h')
    assert.equal(maskUrlPassword('mqtt://u@h:1/t'), 'mqtt://u@h:1/t')
    assert.equal(maskUrlPassword('mqtt://h:1883/t'), 'mqtt://h:1883/t')
    assert.equal(maskUrlPassword('mqtt://h/a:b@c'), 'mqtt://h/a:b@c')
  })
})
