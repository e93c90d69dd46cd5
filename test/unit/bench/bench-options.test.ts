// tsbench's command line: its own options, the shared ones it takes and the ones it refuses; and the
// per-tool lookup that lets -c, -s, -t, -q and -C mean different things in different tools.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { shardPlans } from '../../../src/cli/bench/run-bench.js'
import { defaultSubTopic } from '../../../src/cli/options/bench-options.js'
import { parseArgs } from '../../../src/cli/options/index.js'
import type { ClientConfig } from '../../../src/cli/options/types.js'

const parse = (tool: 'bench' | 'pub', argv: string[]) => parseArgs(tool, argv, {}, () => undefined, 4242)
function config(argv: string[]): ClientConfig {
  const r = parse('bench', argv)
  if (r.kind !== 'run') throw new Error(`not a run: ${r.kind}`)
  return r.config
}

describe('tsbench options', () => {
  it('defaults: 1 publisher, 1 subscriber, tsbench/%i, 64 bytes, 10 s, as fast as possible, MQTT 3.1.1', () => {
    const c = config([])
    assert.deepEqual(c.bench, { check: false, publishers: 1, subscribers: 1, topicPattern: 'tsbench/%i', subTopic: 'tsbench/+', size: 64, drain: 2, workers: 1, retain: false, duration: 10 })
    assert.equal(c.protocolVersion, 4)
    assert.equal(c.qos, 0)
  })
  it('every own option', () => {
    const c = config(['-c', '4', '-S', '2', '-t', 'a/p%i/b', '-q', '2', '-s', '100', '-r', '50', '-C', '1000', '--duration', '2.5',
      '--ramp', '20', '--drain', '0.5', '--workers', '2', '--retain', '--json', '-V', '5'])
    assert.deepEqual(c.bench, { check: false, publishers: 4, subscribers: 2, topicPattern: 'a/p%i/b', subTopic: 'a/+/b', size: 100, drain: 0.5, workers: 2, retain: true, ratePerPublisher: 50, count: 1000, duration: 2.5, ramp: 20 })
    assert.equal(c.qos, 2)
    assert.equal(c.json, true)
    assert.equal(c.protocolVersion, 5)
  })
  it('--total-rate is shared by the publishers; the later of -r / --total-rate wins', () => {
    assert.equal(config(['-c', '4', '--total-rate', '1000']).bench!.ratePerPublisher, 250)
    assert.equal(config(['--total-rate', '1000', '-r', '7']).bench!.ratePerPublisher, 7)
    assert.equal(config(['-C', '5']).bench!.duration, undefined, '-C alone: no time bound')
  })
  it('--sub-topic; the default filter makes each %i level a +', () => {
    assert.equal(config(['--sub-topic', '#']).bench!.subTopic, '#')
    assert.equal(defaultSubTopic('x/%i/y/%i'), 'x/+/y/+')
    assert.equal(defaultSubTopic('fixed/topic'), 'fixed/topic')
  })
  it('-L sets host, port and the topic pattern, as for tspub', () => {
    const c = config(['-L', 'mqtt://example.org:1999/load/%i'])
    assert.equal(c.host, 'example.org')
    assert.equal(c.port, 1999)
    assert.equal(c.bench!.topicPattern, 'load/%i')
  })
  it('-I is the client id prefix', () => {
    assert.equal(config(['-I', 'lab-']).clientId, 'lab-4242')
  })
  it('refuses the will, -i and tspub\'s -c; bad values are usage errors', () => {
    for (const argv of [['--will-topic', 'x'], ['-i', 'id'], ['--disable-clean-session'], ['-m', 'x'], ['-l']]) {
      assert.throws(() => parse('bench', argv), { message: `Unknown option '${argv[0]}'.` })
    }
    assert.throws(() => parse('bench', ['-s', '10']), { message: '-s must be a whole number from 24 to 268369920.' })
    assert.throws(() => parse('bench', ['-c', 'x']), /-c must be a whole number/)
    assert.throws(() => parse('bench', ['-r', '0']), { message: '-r must be a number greater than 0.' })
    assert.throws(() => parse('bench', ['-q', '3']), { message: 'Invalid QoS given: 3' })
    assert.throws(() => parse('bench', ['-t', 'a/#']), /Invalid topic pattern 'a\/#'/)
    assert.throws(() => parse('bench', ['-c', '0', '-S', '0']), /Nothing to do/)
    assert.throws(() => parse('bench', ['--sub-topic', 'a/#/b']), /Invalid subscription filter/)
    assert.throws(() => parse('bench', ['-c']), { message: '-c argument given but no count specified.' })
  })
  it('the same names keep their meaning in tspub (lookup per tool)', () => {
    const r = parse('pub', ['-c', '-i', 'x', '-t', 'a', '-s'])
    assert.equal(r.kind === 'run' && r.config.clean, false)
    assert.equal(r.kind === 'run' && r.config.payload?.mode, 'stdin-file')
    assert.throws(() => parse('pub', ['--publishers', '2']), { message: "Unknown option '--publishers'." })
    assert.throws(() => parse('pub', ['--check']), { message: "Unknown option '--check'." })
  })
})

describe('tsbench shards', () => {
  const plans = (argv: string[]) => shardPlans(config(argv), config(argv).bench!, 7, 'x-')
  it('one worker runs everything', () => {
    const p = plans(['-c', '3', '-S', '2'])
    assert.equal(p.length, 1)
    assert.deepEqual([p[0]!.subscribers, p[0]!.publishers], [[0, 1], [0, 1, 2]])
  })
  it('two or more: subscribers and publishers on workers of their own, round robin within', () => {
    assert.deepEqual(plans(['-c', '3', '-S', '2', '--workers', '2']).map((p) => [p.subscribers, p.publishers]), [[[0, 1], []], [[], [0, 1, 2]]])
    assert.deepEqual(plans(['-c', '3', '-S', '2', '--workers', '4']).map((p) => [p.subscribers, p.publishers]), [[[0], []], [[1], []], [[], [0, 2]], [[], [1]]])
    assert.deepEqual(plans(['-c', '4', '-S', '0', '--workers', '2']).map((p) => p.publishers), [[0, 2], [1, 3]])
    assert.equal(plans(['-c', '1', '-S', '1', '--workers', '8']).length, 2, 'never more workers than connections')
  })
  it('the window: -M at QoS 1/2, 512 writes at QoS 0', () => {
    assert.equal(plans(['-q', '1', '-M', '16'])[0]!.window, 16)
    assert.equal(plans([])[0]!.window, 512)
  })
  it('--sub-topic with %i: subscriber j gets publisher j\'s topic; $share is refused', () => {
    assert.equal(config(['--sub-topic', 'tsbench/%i']).bench!.subTopic, 'tsbench/%i')
    assert.throws(() => parse('bench', ['--sub-topic', '$share/g/tsbench/+']), /A \$share filter is not supported/)
  })
})
