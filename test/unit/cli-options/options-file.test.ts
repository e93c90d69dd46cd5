// The default options file: where it is (XDG precedence), how lines split, and how it meets argv.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { optionsFilePath, parseArgs } from '../../../src/cli/options/index.js'
import { config, failure, parse, usage } from '../../helpers/cli-options.js'

describe('where the options file is', () => {
  it('$XDG_CONFIG_HOME/<tool> when set', () => {
    assert.equal(optionsFilePath('pub', { XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/tspub')
    assert.equal(optionsFilePath('rr', { XDG_CONFIG_HOME: '/x' }), '/x/tsrr')
  })
  it('an empty XDG_CONFIG_HOME still wins: "/tspub"', () => {
    assert.equal(optionsFilePath('pub', { XDG_CONFIG_HOME: '', HOME: '/h' }), '/tspub')
  })
  it('else $HOME/.config/<tool>; else none', () => {
    assert.equal(optionsFilePath('sub', { HOME: '/home/me' }), '/home/me/.config/tssub')
    assert.equal(optionsFilePath('sub', {}), undefined)
  })
  it('parseArgs reads exactly that path, after the shared tsmqtt/profiles beside it', () => {
    const asked: string[] = []
    const read = (p: string) => { asked.push(p); return p === '/home/me/.config/tssub' ? '-t from/file\n' : undefined }
    const r = parseArgs('sub', [], { HOME: '/home/me' }, read, 1)
    assert.deepEqual(asked, ['/home/me/.config/tsmqtt/profiles', '/home/me/.config/tssub'])
    assert.deepEqual(r.kind === 'run' ? r.config.topics : [], ['from/file'])
  })
  it('a missing file is ignored', () => {
    assert.equal(config('pub', ['-t', 'a', '-n'], { env: { XDG_CONFIG_HOME: '/nowhere' } }).topic, 'a')
  })
})

describe('line format (reference §5)', () => {
  it('split at the first space: the rest, spaces included, is one argument', () => {
    assert.deepEqual(config('sub', [], { optionsFile: '-t   a\n-t cfg/topic with space\n' }).topics, ['  a', 'cfg/topic with space'])
  })
  it('# in column 1 is a comment; blank lines and leading spaces are skipped; CR/LF stripped', () => {
    const c = config('sub', [], { optionsFile: '# comment\n\n   -v\r\n-h 127.0.0.1\r\n-p 28831\n\n-t a\r\n' })
    assert.deepEqual([c.verbose, c.host, c.port, c.topics], [true, '127.0.0.1', 28831, ['a']])
  })
  it('a # after leading spaces is not a comment', () => {
    assert.equal(failure('sub', ['-t', 'a'], { optionsFile: '  # not a comment\n' }).stderr, usage('sub', "Unknown option '#'."))
  })
  it('a trailing space leaves no argument; a value cannot come from the next line', () => {
    assert.equal(config('sub', ['-t', 'a'], { optionsFile: '-v \n' }).verbose, true)
    assert.equal(failure('sub', [], { optionsFile: '-t\na\n' }).stderr, usage('sub', '-t argument given but no topic specified.', 2))
  })
  it('-D cannot be used in the file (one argument per line)', () => {
    assert.equal(failure('pub', ['-t', 'a', '-n'], { optionsFile: '-D publish content-type x\n' }).stderr,
      usage('pub', '--property argument given but not enough arguments specified.', 2))
  })
  it('errors in the file abort with the usual message', () => {
    assert.equal(failure('pub', ['-t', 'a', '-n'], { optionsFile: '-q 7\n' }).stderr, usage('pub', 'Invalid QoS given: 7'))
    assert.equal(failure('pub', ['-t', 'a', '-n'], { optionsFile: '-v\n' }).stderr, usage('pub', "Unknown option '-v'."))
  })
  it('a file without a final newline works', () => {
    assert.equal(config('pub', ['-t', 'a', '-n'], { optionsFile: '-q 2' }).qos, 2)
  })
  it('--help in the file returns help', () => {
    assert.equal(parse('pub', ['-q', '9'], { optionsFile: '--help\n' }).kind, 'help')
  })
})

describe('precedence: the file first, then argv', () => {
  it('scalars: argv wins', () => {
    const c = config('pub', ['-p', '2', '-t', 'b', '-q', '0'], { optionsFile: '-p 1\n-t a\n-m x\n-q 1\n' })
    assert.deepEqual([c.port, c.topic, c.qos], [2, 'b', 0])
    assert.deepEqual(c.payload, { mode: 'message', payload: Buffer.from('x') })
  })
  it('sub accumulates -t, -T and -U across file and argv', () => {
    const c = config('sub', ['-t', 'argv', '-T', 'n2'], { optionsFile: '-t file\n-T n1\n-U u\n' })
    assert.deepEqual([c.topics, c.filterOut, c.unsubscribe], [['file', 'argv'], ['n1', 'n2'], ['u']])
  })
  it('a payload mode in the file and another on argv: "Only one type of message"', () => {
    assert.equal(failure('pub', ['-t', 'a', '-n'], { optionsFile: '-m hello\n' }).stderr,
      usage('pub', 'Only one type of message can be sent at once.', 2))
  })
  it('-i in the file and -I on argv cannot be combined', () => {
    assert.equal(failure('pub', ['-I', 'p', '-t', 'a', '-n'], { optionsFile: '-i fixed\n' }).stderr,
      usage('pub', '-i and -I argument cannot be used together.', 2))
  })
  it('flags set in the file stay set (no way to negate -d, -r, -c)', () => {
    const c = config('pub', ['-t', 'a', '-n', '-i', 'me'], { optionsFile: '-d\n-r\n-c\n' })
    assert.deepEqual([c.debug, c.retain, c.clean], [true, true, false])
  })
})
