// --help and --version of tspub/tssub/tsrr: the text, its own options first, and the width it is wrapped to.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { outputWidth } from '../../../src/cli/help-layout.js'
import { subCommand } from '../../../src/cli/sub.js'
import { helpText, parseArgs } from '../../../src/cli/options/index.js'
import { parse } from '../../helpers/cli-options.js'

describe('--help and --version', () => {
  it('--help stops parsing and returns the help text', () => {
    const r = parse('pub', ['--help', '-q', '3'])
    assert.equal(r.kind, 'help')
    assert.match(r.kind === 'help' ? r.text : '', /^tspub is a simple MQTT client .*\ntspub version \S+ running on Node\.js v\d+/)
  })
  it('--version: "<tool> version <pkg> running on Node.js <version>."', () => {
    const r = parse('sub', ['-t', 'a', '--version'])
    assert.equal(r.kind, 'version')
    assert.match(r.kind === 'version' ? r.text : '', /^tssub version \d+\.\d+\.\d+\S* running on Node\.js v\d+\.\d+\.\d+\.\n$/)
  })
  it('each tool lists its own options, with one " -x : description" line each', () => {
    const help = (t: 'pub' | 'sub' | 'rr') => { const r = parse(t, ['--help']); return r.kind === 'help' ? r.text : '' }
    assert.match(help('pub'), /\n -r, --retain : /)
    assert.doesNotMatch(help('pub'), /\n -v, --verbose : /)
    assert.match(help('sub'), /\n -C count : /)
    assert.doesNotMatch(help('rr'), /\n -C count : /)
    assert.match(help('rr'), /\n -e topic : /)
    for (const t of ['pub', 'sub', 'rr'] as const) {
      assert.match(help(t), /\n --pw-prompt : /)
      assert.match(help(t), /\n --pw-file file : [^]*?TSMQTT_PASSWORD/)
      assert.match(help(t), /\n\nSee the ts(pub|sub|rr)\(1\) manual page for more information\.\n\n$/)
    }
  })
  it('each tool\'s own options come first, then the shared ones in titled sections', () => {
    const titles = (t: 'pub' | 'sub' | 'rr' | 'bench') => helpText(t).split('\n').filter((l) => /^[A-Z][^:]*:$/.test(l))
    const shared = ['Connection:', 'Session and authentication:', 'Will:', 'TLS:', 'Diagnostics and information:']
    assert.deepEqual(titles('pub'), ['Publishing:', ...shared])
    assert.deepEqual(titles('sub'), ['Subscribing:', 'Output:', ...shared])
    assert.deepEqual(titles('rr'), ['Request and response:', 'Output:', ...shared])
    assert.deepEqual(titles('bench'), ['Benchmark:', ...shared.filter((t) => t !== 'Will:')])
    assert.match(helpText('sub'), /\nSubscribing:\n -t, --topic topic : topic filter to subscribe to\. May repeat\.\n/)
  })
  it('wraps to the width it is given: 80 by default, never wider', () => {
    for (const t of ['pub', 'sub', 'rr', 'bench'] as const) {
      for (const width of [40, 80, 100]) {
        // only a word that cannot be broken (a URL pattern) may stick out
        const long = helpText(t, width).split('\n').filter((l) => l.length > width && /\S \S/.test(l.trim()))
        assert.deepEqual(long, [], `ts${t} at ${width} columns`)
      }
      assert.equal(helpText(t), helpText(t, 80))
      // a continuation line is indented: it never starts a new " -x : " entry
      assert.ok(helpText(t, 40).split('\n').every((l) => !/^ [^ -]/.test(l)), helpText(t, 40))
    }
  })
  it('the width of --help comes from stdout: the terminal\'s (at most 100), 80 when not a terminal', () => {
    const width = (o: { isTTY?: boolean; columns?: number }) => outputWidth(Object.assign(new PassThrough(), o))
    assert.equal(width({}), 80)
    assert.equal(width({ isTTY: true, columns: 132 }), 100)
    assert.equal(width({ isTTY: true, columns: 60 }), 60)
    assert.equal(width({ isTTY: true, columns: 20 }), 40)
    assert.equal(width({ isTTY: false, columns: 200 }), 80)
    const r = parseArgs('sub', ['--help'], { XDG_CONFIG_HOME: '/nonexistent' }, () => undefined, 1, () => 60)
    assert.ok(r.kind === 'help' && r.text.split('\n').every((l) => l.length <= 60 || !/\S \S/.test(l.trim())))
  })
  it('the width is asked only for --help: a run that prints nothing never makes process.stdout (start-up, bench/RESULTS.md)', () => {
    let asked = 0
    const width = () => { asked++; return 80 }
    assert.equal(parseArgs('pub', ['-t', 't', '-m', 'x'], { XDG_CONFIG_HOME: '/nonexistent' }, () => undefined, 1, width).kind, 'run')
    assert.equal(asked, 0)
    assert.equal(parseArgs('pub', ['--help'], { XDG_CONFIG_HOME: '/nonexistent' }, () => undefined, 1, width).kind, 'help')
    assert.equal(asked, 1)
  })
  it('a command wraps --help to the stdout it was given (an embedding or a test), not the process\'s', async () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 50 })
    const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: { XDG_CONFIG_HOME: '/nonexistent' }, pid: 1 }
    assert.equal(await subCommand.run(['--help'], io, new AbortController().signal), 0)
    const lines = String(stdout.read()).split('\n')
    assert.ok(lines.length > 20 && lines.every((l) => l.length <= 50 || !/\S \S/.test(l.trim())), lines.join('\n'))
  })
})
