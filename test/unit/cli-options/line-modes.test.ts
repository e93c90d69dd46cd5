// tspub's line-mode options (ours): --ndjson, --topic-separator, --strict, --replay-timing, --replay-speed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { config, failure, usage } from '../../helpers/cli-options.js'

describe('tspub line modes', () => {
  it('--ndjson needs no -t (lines carry their topic; -t is the default); -t is kept when given', () => {
    const c = config('pub', ['--ndjson'])
    assert.deepEqual(c.payload, { mode: 'ndjson' })
    assert.equal(c.topic, undefined)
    assert.equal(config('pub', ['--ndjson', '-t', 'd']).topic, 'd')
  })
  it('--ndjson conflicts with the other payload flags, as they do with each other', () => {
    for (const other of [['-m', 'x'], ['-f', 'f'], ['-s'], ['-n'], ['-l']]) {
      assert.equal(failure('pub', ['--ndjson', ...other]).stderr, usage('pub', 'Only one type of message can be sent at once.', 2))
      assert.equal(failure('pub', [...other, '--ndjson']).stderr, usage('pub', 'Only one type of message can be sent at once.', 2))
    }
  })
  it('--replay-timing is speed 1; --replay-speed implies it; no timing without them', () => {
    assert.equal(config('pub', ['--ndjson', '--replay-timing']).replaySpeed, 1)
    assert.equal(config('pub', ['--replay-speed', '2.5', '--ndjson']).replaySpeed, 2.5)
    assert.equal(config('pub', ['--ndjson']).replaySpeed, undefined)
  })
  it('-l --topic-separator needs no -t; the separator is any non-empty string', () => {
    const c = config('pub', ['-l', '--topic-separator', '\t'])
    assert.equal(c.topicSeparator, '\t')
    assert.equal(config('pub', ['--topic-separator', ' :: ', '-l', '--strict']).strict, true)
  })
  const rows: Array<[string[], string, 1 | 2]> = [
    [['-t', 't', '-m', 'x', '--topic-separator', ' '], '--topic-separator needs -l.', 1],
    [['--ndjson', '--topic-separator', ' '], '--topic-separator needs -l.', 1],
    [['-l', '-t', 't', '--topic-separator', ' '], '--topic-separator takes the topic from each line: do not give -t or a -L topic too.', 1],
    [['-l', '-L', 'mqtt://h/t', '--topic-separator', ' '], '--topic-separator takes the topic from each line: do not give -t or a -L topic too.', 1],
    [['-l', '--topic-separator', ''], '--topic-separator must not be empty.', 2],
    [['-l', '--topic-separator'], '--topic-separator argument given but no separator specified.', 2],
    [['-l', '-t', 't', '--strict'], '--strict needs --ndjson or -l --topic-separator.', 1],
    [['-l', '-t', 't', '--replay-timing'], '--replay-timing and --replay-speed need --ndjson.', 1],
    [['-l', '-t', 't', '--replay-speed', '2'], '--replay-timing and --replay-speed need --ndjson.', 1],
    [['--ndjson', '--replay-speed', '0'], '--replay-speed argument must be >0.', 2],
    [['--ndjson', '--replay-speed', '-1'], '--replay-speed argument must be >0.', 2],
    [['--ndjson', '--replay-speed', 'fast'], '--replay-speed argument must be >0.', 2],
    [['--ndjson', '--replay-speed'], '--replay-speed argument given but no speed specified.', 2],
  ]
  for (const [argv, text, blank] of rows) {
    it(`tspub ${argv.join(' ')}`, () => assert.equal(failure('pub', argv).stderr, usage('pub', text, blank)))
  }
  it('tssub and tsrr do not know them', () => {
    for (const flag of ['--ndjson', '--strict', '--replay-timing']) {
      assert.equal(failure('sub', ['-t', 't', flag]).stderr, usage('sub', `Unknown option '${flag}'.`))
    }
  })
})
