// The one publishing loop of tspub's line modes, against a fake client: a chunk's lines leave together, at
// most `window` are outstanding, stdin is not read while the window is full, malformed lines, --strict.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import type { PublishResult } from '../../../src/client/client.js'
import { systemClock } from '../../../src/core/clock.js'
import { PacketTooLargeError } from '../../../src/core/errors.js'
import { LineError } from '../../../src/cli/line-error.js'
import { publishWindowed, type WindowOptions } from '../../../src/cli/publish-window.js'

/** A fake client: every publish waits until the test settles it. */
function fakeClient() {
  const sent: string[] = []
  const pending: Array<{ resolve(r: PublishResult): void; reject(e: Error): void }> = []
  let peak = 0
  return {
    sent, pending,
    get peak() { return peak },
    outstanding: () => pending.length,
    send(line: string): Promise<PublishResult> {
      sent.push(line)
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject })
        peak = Math.max(peak, pending.length)
      })
    },
    ackAll(reasonCode = 0) { for (const p of pending.splice(0)) p.resolve({ messageId: 1, reasonCode }) },
    ackOne() { pending.shift()?.resolve({ messageId: 1, reasonCode: 0 }) },
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r))

function options(client: ReturnType<typeof fakeClient>, o: Partial<WindowOptions<string>> = {}): WindowOptions<string> & { reports: string[] } {
  const reports: string[] = []
  return {
    window: 20, clock: systemClock, strict: false, signal: new AbortController().signal,
    parse: (line) => { const s = line.toString('latin1'); if (s.startsWith('bad')) throw new LineError(`${s}.`); return s },
    send: (m) => client.send(m), refused: () => reports.push('refused'), report: (t) => reports.push(t), reports, ...o,
  }
}

/** Settle publishes as they come until `run` ends (bounded). */
async function drive<T>(client: ReturnType<typeof fakeClient>, run: Promise<T>, step: () => void = () => client.ackAll()): Promise<T> {
  let done = false
  void run.finally(() => { done = true }).catch(() => {})
  for (let i = 0; i < 1000 && !done; i++) { await tick(); step() }
  return run
}

test('every complete line of a chunk is published in the same synchronous run, before any acknowledgement', async () => {
  const client = fakeClient()
  let inFirstRun = 0
  const o = options(client, {
    send: (m) => { if (client.sent.length === 0) queueMicrotask(() => { inFirstRun = client.sent.length }); return client.send(m) },
  })
  const run = publishWindowed(Readable.from([Buffer.from('a\nb\nc\nd\ne')]), o)
  await tick()
  assert.equal(inFirstRun, 4, 'a..d went out together; e is the unterminated tail, sent at EOF')
  assert.deepEqual(client.sent, ['a', 'b', 'c', 'd', 'e'])
  const out = await drive(client, run)
  assert.deepEqual(out, { lines: 5, published: 5, malformed: 0, refused: 0, tooLarge: 0 })
})

test('-l semantics: split at \\n only, \\r kept, empty lines are messages, the tail is sent', async () => {
  const client = fakeClient()
  const run = publishWindowed(Readable.from([Buffer.from('one\r\n\n'), Buffer.from('x'), Buffer.from('y\ntail')]), options(client))
  await drive(client, run)
  assert.deepEqual(client.sent, ['one\r', '', 'xy', 'tail'])
})

test('at most `window` publishes are outstanding, and stdin is not read while the window is full', async () => {
  const client = fakeClient()
  let pulled = 0
  const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`${i}\n`))
  const stdin = new Readable({ highWaterMark: 1, read() { pulled++; this.push(chunks.shift() ?? null) } })
  const run = publishWindowed(stdin, options(client, { window: 3 }))
  for (let i = 0; i < 20; i++) await tick()
  assert.equal(client.outstanding(), 3)
  assert.ok(pulled <= 6, `read ${pulled} chunks while the window was full`)
  await drive(client, run, () => client.ackOne())
  assert.equal(client.peak, 3)
  assert.equal(client.sent.length, 50)
  assert.deepEqual(client.sent.slice(0, 4), ['0', '1', '2', '3'], 'in order')
})

test('a malformed line is reported with its number and skipped', async () => {
  const client = fakeClient()
  const o = options(client)
  const out = await drive(client, publishWindowed(Readable.from([Buffer.from('a\nbad one\nb\nbad two\n')]), o))
  assert.deepEqual(o.reports, ['Error: line 2: bad one.\n', 'Error: line 4: bad two.\n'])
  assert.deepEqual(client.sent, ['a', 'b'])
  assert.deepEqual(out, { lines: 4, published: 2, malformed: 2, refused: 0, tooLarge: 0 })
})

test('--strict: stops at the first malformed line, after the publishes before it are settled', async () => {
  const client = fakeClient()
  const o = options(client, { strict: true })
  const out = await drive(client, publishWindowed(Readable.from([Buffer.from('a\nb\nbad\nc\n'), Buffer.from('d\n')]), o))
  assert.deepEqual(client.sent, ['a', 'b'])
  assert.equal(client.outstanding(), 0)
  assert.deepEqual(o.reports, ['Error: line 3: bad.\n'])
  assert.deepEqual(out, { lines: 3, published: 2, malformed: 1, refused: 0, tooLarge: 0, stoppedAt: 3 })
})

test('a publish the broker refuses is counted and reported', async () => {
  const client = fakeClient()
  const o = options(client)
  const out = await drive(client, publishWindowed(Readable.from([Buffer.from('a\nb\n')]), o), () => client.ackAll(0x87))
  assert.equal(out.refused, 2)
  assert.deepEqual(o.reports, ['refused', 'refused'])
})

test('a publish over the broker\'s maximum packet size is reported with its line number, skipped, and the run goes on', async () => {
  const client = fakeClient()
  const o = options(client, {
    send: (m) => (m === 'big' ? Promise.reject(new PacketTooLargeError(5007, 2000)) : client.send(m)),
  })
  const out = await drive(client, publishWindowed(Readable.from([Buffer.from('a\nbig\nc\n')]), o))
  assert.deepEqual(client.sent, ['a', 'c'])
  assert.deepEqual(o.reports, ['Error: line 2: Packet larger than supported by the server (5007 bytes, maximum 2000).\n'])
  assert.deepEqual(out, { lines: 3, published: 3, malformed: 0, refused: 0, tooLarge: 1 })
})

test('a finished client (publish rejected) ends the run with its error', async () => {
  const client = fakeClient()
  const run = publishWindowed(Readable.from([Buffer.from('a\nb\n')]), options(client, { window: 1 }))
  await tick()
  client.pending.shift()!.reject(new Error('connection gone'))
  await assert.rejects(run, /connection gone/)
  assert.deepEqual(client.sent, ['a'])
})

test('a signal ends the run at once, also while the window is full and stdin never ends', async () => {
  const client = fakeClient()
  const ac = new AbortController()
  const stdin = new Readable({ read() {} }) // a terminal: no EOF
  stdin.push('a\nb\n')
  const run = publishWindowed(stdin, options(client, { window: 1, signal: ac.signal }))
  await tick()
  assert.deepEqual(client.sent, ['a'])
  ac.abort()
  const out = await run
  assert.equal(out.published, 1)
  assert.ok(stdin.destroyed)
})

/** sendMany over the fake client: one call per synchronous run, settled when all of its publishes are. */
function manyOptions(client: ReturnType<typeof fakeClient>, calls: string[][], o: Partial<WindowOptions<string>> = {}) {
  return options(client, {
    sendMany: (ms) => {
      calls.push(ms)
      return Promise.all(ms.map((m) => client.send(m).then(() => undefined, (error: Error) => error)))
        .then((rs) => ({ failed: rs.flatMap((error, index) => (error ? [{ index, error }] : [])) }))
    },
    ...o,
  })
}

test('sendMany: the lines of a run go in one call, at most `window` outstanding, in order', async () => {
  const client = fakeClient()
  const calls: string[][] = []
  const run = publishWindowed(Readable.from([Buffer.from('a\nb\nc\nd\ne\n'), Buffer.from('f\n')]), manyOptions(client, calls, { window: 2 }))
  const out = await drive(client, run, () => client.ackOne())
  assert.deepEqual(calls, [['a', 'b'], ['c', 'd'], ['e'], ['f']], 'a full window or the end of a chunk ends a call')
  assert.equal(client.peak, 2)
  assert.deepEqual(out, { lines: 6, published: 6, malformed: 0, refused: 0, tooLarge: 0 })
})

test('sendMany: a message too large is reported with its line number; another failure ends the run', async () => {
  const client = fakeClient()
  const calls: string[][] = []
  const tooLarge = manyOptions(client, calls, {
    sendMany: (ms) => { calls.push(ms); return Promise.resolve({ failed: ms.flatMap((m, index) => (m === 'big' ? [{ index, error: new PacketTooLargeError(5007, 2000) }] : [])) }) },
  })
  const out = await publishWindowed(Readable.from([Buffer.from('a\nbig\nc\n')]), tooLarge)
  assert.deepEqual(calls, [['a', 'big', 'c']])
  assert.deepEqual(tooLarge.reports, ['Error: line 2: Packet larger than supported by the server (5007 bytes, maximum 2000).\n'])
  assert.deepEqual(out, { lines: 3, published: 3, malformed: 0, refused: 0, tooLarge: 1 })
  const lost = options(client, { sendMany: () => Promise.reject(new Error('connection gone')) })
  await assert.rejects(publishWindowed(Readable.from([Buffer.from('x\ny\n'), Buffer.from('z\n')]), lost), /connection gone/)
})
