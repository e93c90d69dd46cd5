// Profiles: [name] sections in the options files, the shared tsmqtt/profiles file, --profile and
// TSMQTT_PROFILE, and the precedence command line > environment > profile > defaults.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { optionsFileSections, sharedOptionsFilePath } from '../../../src/cli/options/options-file.js'
import { scanArgv } from '../../../src/cli/options/profiles.js'
import { UsageError } from '../../../src/core/errors.js'
import { config, failure, parse, usage, type ParseSetup } from '../../helpers/cli-options.js'

const SHARED = '/xdg/tsmqtt/profiles'
const PUB = ['-t', 't', '-m', 'x']

/** The tool's file and the shared file, with an environment beside XDG_CONFIG_HOME=/xdg. */
function setup(own: string | undefined, shared?: string, env: NodeJS.ProcessEnv = {}): ParseSetup {
  return {
    ...(own === undefined ? {} : { optionsFile: own }),
    files: shared === undefined ? {} : { [SHARED]: shared },
    env: { XDG_CONFIG_HOME: '/xdg', ...env },
  }
}

describe('sections', () => {
  it('lines before the first [name] are the defaults; each section its profile, line numbers kept', () => {
    const s = optionsFileSections('-h d\n[prod]\n-h p\n# c\n\n  [ test_1.a-b ]  \n', '/f')
    assert.deepEqual(s.defaults, [{ words: ['-h', 'd'], line: 1 }])
    assert.deepEqual(s.profiles.get('prod'), [{ words: ['-h', 'p'], line: 3 }])
    assert.equal(s.profiles.size, 2)
  })
  it('an indented header with spaces inside and after opens a section; a repeated name continues it', () => {
    const s = optionsFileSections('  [a]  \r\n-p 1\n[b]\n-p 2\n[a]\n-q 1\n', '/f')
    assert.deepEqual(s.profiles.get('a')!.map((l) => l.words), [['-p', '1'], ['-q', '1']])
  })
  it('a header that is not [letters digits _ - .] is an error naming the file and line', () => {
    for (const bad of ['[]', '[a b]', '[prod', '[a/b]']) {
      assert.throws(() => optionsFileSections(`-v\n${bad}\n`, '/f'), (e: unknown) => e instanceof UsageError &&
        e.message === `Invalid profile section '${bad}' in /f line 2: a name is letters, digits, '_', '-' and '.'.`)
    }
  })
  it('a file without sections is read exactly as before', () => {
    const c = config('sub', [], setup('-h h\n-t a b\n'))
    assert.deepEqual([c.host, c.topics], ['h', ['a b']])
  })
  it('the shared file is tsmqtt/profiles beside the tool files', () => {
    assert.equal(sharedOptionsFilePath({ XDG_CONFIG_HOME: '/x' }), '/x/tsmqtt/profiles')
    assert.equal(sharedOptionsFilePath({ HOME: '/h' }), '/h/.config/tsmqtt/profiles')
    assert.equal(sharedOptionsFilePath({}), undefined)
  })
})

describe('--profile NAME', () => {
  const file = '-h default\n-p 1\n[prod]\n-h prod.example\n-u alice\n[test]\n-h test.example\n'
  it('without it the sections are ignored (not even parsed)', () => {
    const c = config('pub', PUB, setup(`${file}[broken]\n-q 7\n`))
    assert.deepEqual([c.host, c.port, c.username], ['default', 1, undefined])
  })
  it('with it the section applies after the defaults', () => {
    const c = config('pub', [...PUB, '--profile', 'prod'], setup(file))
    assert.deepEqual([c.host, c.port, c.username], ['prod.example', 1, 'alice'])
  })
  it('wherever it stands on the command line, and the last one wins', () => {
    const c = config('pub', ['--profile', 'prod', ...PUB, '--profile', 'test'], setup(file))
    assert.equal(c.host, 'test.example')
  })
  it('the command line beats the profile', () => {
    assert.equal(config('pub', ['--profile', 'prod', '-h', 'argv', ...PUB], setup(file)).host, 'argv')
  })
  it('a value that looks like --profile is a value: -m --profile publishes "--profile"', () => {
    const c = config('pub', ['-t', 't', '-m', '--profile', '-h', 'x'], setup(file))
    assert.deepEqual([c.host, c.payload], ['x', { mode: 'message', payload: Buffer.from('--profile') }])
    assert.deepEqual(scanArgv('pub', ['-m', '--profile', 'prod']), { informational: false })
    assert.deepEqual(scanArgv('pub', ['-D', 'connect', 'user-property', 'a', 'b', '--profile', 'p']), { profile: 'p', informational: false })
  })
  it('an unknown profile is a usage error naming the files searched', () => {
    assert.equal(failure('pub', [...PUB, '--profile', 'nope'], setup(file)).stderr,
      usage('pub', `Unknown profile 'nope': no [nope] section in ${SHARED} or /xdg/tspub.`))
    assert.equal(failure('sub', ['-t', 'a', '--profile', 'p'], { env: {} }).stderr,
      usage('sub', "Unknown profile 'p': there is no options file (neither XDG_CONFIG_HOME nor HOME is set)."))
  })
  it('--help, --version and --completion still answer with an unknown profile', () => {
    assert.equal(parse('pub', ['--profile', 'nope', '--help'], setup(file)).kind, 'help')
    assert.equal(parse('sub', ['--version'], setup(file, undefined, { TSMQTT_PROFILE: 'nope' })).kind, 'version')
  })
  it('without a value: the usual missing-value error', () => {
    assert.equal(failure('pub', [...PUB, '--profile'], setup(file)).stderr,
      usage('pub', '--profile argument given but no profile name specified.', 2))
  })
  it('--profile and --print-config cannot be used in an options file', () => {
    assert.equal(failure('pub', PUB, setup('--profile prod\n')).stderr,
      usage('pub', '--profile cannot be used in an options file (/xdg/tspub).'))
    assert.equal(config('pub', PUB, setup('[p]\n--print-config\n')).topic, 't') // a section not chosen is not read
    assert.equal(failure('pub', [...PUB, '--profile', 'p'], setup('[p]\n--print-config\n')).stderr,
      usage('pub', '--print-config cannot be used in an options file (/xdg/tspub).'))
  })
  it('errors in the chosen section abort with the usual message', () => {
    assert.equal(failure('pub', [...PUB, '--profile', 'p'], setup('[p]\n-q 7\n')).stderr, usage('pub', 'Invalid QoS given: 7'))
  })
})

describe('TSMQTT_PROFILE', () => {
  const file = '[prod]\n-h prod\n[test]\n-h test\n'
  it('picks the profile when the command line names none', () => {
    assert.equal(config('pub', PUB, setup(file, undefined, { TSMQTT_PROFILE: 'prod' })).host, 'prod')
  })
  it('--profile beats it; --profile "" and an empty TSMQTT_PROFILE mean no profile', () => {
    const env = { TSMQTT_PROFILE: 'prod' }
    assert.equal(config('pub', [...PUB, '--profile', 'test'], setup(file, undefined, env)).host, 'test')
    assert.equal(config('pub', [...PUB, '--profile', ''], setup(file, undefined, env)).host, 'localhost')
    assert.equal(config('pub', PUB, setup(file, undefined, { TSMQTT_PROFILE: '' })).host, 'localhost')
  })
  it('an unknown one says it came from TSMQTT_PROFILE', () => {
    assert.equal(failure('pub', PUB, setup(file, undefined, { TSMQTT_PROFILE: 'nope' })).stderr,
      usage('pub', `Unknown profile 'nope' (from TSMQTT_PROFILE): no [nope] section in ${SHARED} or /xdg/tspub.`))
  })
})

describe('the shared file', () => {
  it('serves every client tool: defaults and profiles', () => {
    const shared = '-h shared\n[prod]\n-p 8884\n-u alice\n'
    for (const tool of ['pub', 'sub', 'rr'] as const) {
      const argv = tool === 'sub' ? ['-t', 'a'] : tool === 'rr' ? ['-t', 'q', '-e', 'r', '-m', 'x'] : PUB
      const c = config(tool, [...argv, '--profile', 'prod'], setup(undefined, shared))
      assert.deepEqual([c.host, c.port, c.username], ['shared', 8884, 'alice'], tool)
    }
  })
  it('order: shared defaults, tool defaults, shared profile, tool profile, command line', () => {
    const shared = '-h s-default\n-p 1\n-k 10\n-i s\n[p]\n-p 2\n-k 20\n-q 1\n'
    const own = '-h own-default\n-p 3\n[p]\n-k 30\n'
    const c = config('pub', [...PUB, '--profile', 'p', '-i', 'argv'], setup(own, shared))
    assert.deepEqual([c.host, c.port, c.keepalive, c.qos, c.clientId], ['own-default', 2, 30, 1, 'argv'])
  })
  it("skips a line for another tool's option (-v is tssub's), refuses an option no tool has", () => {
    const c = config('pub', [...PUB, '--profile', 'p'], setup(undefined, '-v\n[p]\n-C 3\n-q 2\n'))
    assert.equal(c.qos, 2)
    assert.equal(config('sub', ['-t', 'a', '--profile', 'p'], setup(undefined, '-v\n[p]\n-C 3\n-r\n')).count, 3)
    assert.equal(failure('pub', PUB, setup(undefined, '--no-such\n')).stderr, usage('pub', "Unknown option '--no-such'."))
  })
  it("the tool's own file still refuses another tool's option, as mosquitto does", () => {
    assert.equal(failure('pub', PUB, setup('-v\n')).stderr, usage('pub', "Unknown option '-v'."))
  })
  it('a profile found only in the shared file is known', () => {
    assert.equal(config('pub', [...PUB, '--profile', 'x'], setup('-h own\n', '[x]\n-p 9\n')).port, 9)
  })
})

describe('precedence of the password: command line > TSMQTT_PASSWORD > options files', () => {
  const env = { TSMQTT_PASSWORD: 'from-env' }
  it('TSMQTT_PASSWORD replaces a password option from a file (defaults or profile)', () => {
    for (const file of ['-u bob\n-P from-file\n', '[p]\n-u bob\n--pw-file /secret\n', '-u bob\n--pw-prompt\n']) {
      const c = config('pub', [...PUB, '--profile', 'p'], setup(`${file}\n[p]\n`, undefined, env))
      assert.deepEqual([c.password, c.passwordSource], ['from-env', { kind: 'env' }], file)
    }
  })
  it('a password option on the command line beats TSMQTT_PASSWORD', () => {
    const c = config('pub', [...PUB, '-P', 'argv'], setup('-u bob\n-P file\n', undefined, env))
    assert.deepEqual([c.password, c.passwordSource], ['argv', { kind: 'argv' }])
    const d = config('pub', ['-L', 'mqtt://bob:url@h/t', '-m', 'x'], setup(undefined, undefined, env))
    assert.equal(d.password, 'url')
  })
  it('without TSMQTT_PASSWORD the file password is used', () => {
    assert.equal(config('pub', PUB, setup('-u bob\n-P file\n')).password, 'file')
  })
})

describe('tsbench and profiles', () => {
  it('takes the connection lines of the shared file, not the lines whose names mean something else to it', () => {
    const c = config('bench', ['--profile', 'lab', '-c', '3'], setup(undefined, '[lab]\n-h lab.example\n-p 1999\n-c\n-i me\n-u bob\n'))
    assert.equal(c.host, 'lab.example')
    assert.equal(c.port, 1999)
    assert.equal(c.username, 'bob')
    assert.equal(c.bench!.publishers, 3, "the shared file's -c (tspub's clean session) is not tsbench's -c")
    assert.equal(c.clean, true)
  })
  it('its own file may set its own options; --profile is found after a value-taking -c', () => {
    const c = config('bench', ['-c', '2', '--profile', 'x'], setup('-S 4\n[x]\n-s 100\n'))
    assert.equal(c.bench!.subscribers, 4)
    assert.equal(c.bench!.size, 100)
    assert.equal(c.bench!.publishers, 2)
    assert.deepEqual(scanArgv('bench', ['-c', '2', '--profile', 'x']), { profile: 'x', informational: false })
  })
})
