// --replay-timing / --replay-speed: the recorded gaps, on an injected clock (no sleeping).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import type { PublishResult } from '../../../src/client/client.js'
import { publishWindowed } from '../../../src/cli/publish-window.js'
import { ReplayPacer } from '../../../src/cli/replay-pacer.js'
import { ManualClock } from '../../helpers/manual-clock.js'

test('the first message goes at once, later ones the recorded gap after the one before, divided by the speed', () => {
  const clock = new ManualClock()
  const p = new ReplayPacer(clock, 2)
  assert.equal(p.wait(10_000), 0)
  assert.equal(p.wait(11_000), 500)
  clock.advance(500)
  assert.equal(p.wait(11_000), 0, 'same time: no gap')
  assert.equal(p.wait(10_000), 0, 'an earlier time counts as no gap')
  assert.equal(p.wait(undefined), 0, 'no tst: at once')
  assert.equal(p.wait(10_300), 150)
})

test('falling behind: what is due already goes at once, and the schedule stays anchored', () => {
  const clock = new ManualClock()
  const p = new ReplayPacer(clock, 1)
  p.wait(0)
  clock.advance(5000) // e.g. a full window
  assert.equal(p.wait(1000), 0)
  assert.equal(p.wait(2000), 0)
  assert.equal(p.wait(7000), 2000, 'due at 7000 on the schedule, now is 5000')
})

test('speed must be > 0', () => {
  assert.throws(() => new ReplayPacer(new ManualClock(), 0), RangeError)
})

test('the windowed loop waits on the injected clock: messages leave at the recorded offsets', async () => {
  const clock = new ManualClock()
  const pacer = new ReplayPacer(clock, 1)
  const sentAt: Array<[string, number]> = []
  const stdin = Readable.from([Buffer.from('0 a\n250 b\n250 c\n1000 d\n')])
  const run = publishWindowed(stdin, {
    window: 10, clock, strict: false, signal: new AbortController().signal, report: () => {}, refused: () => {},
    parse: (line) => { const [at, name] = line.toString().split(' '); return { at: Number(at), name: name! } },
    wait: (m) => pacer.wait(m.at),
    send: (m) => { sentAt.push([m.name, clock.now()]); return Promise.resolve<PublishResult>({ messageId: 0, reasonCode: 0 }) },
  })
  for (const step of [250, 750]) { // b waits 250 ms; c is due with b; d 750 ms after them
    await clock.armed()
    clock.advance(step)
  }
  await run
  assert.deepEqual(sentAt, [['a', 0], ['b', 250], ['c', 250], ['d', 1000]])
})
