// The no-echo password reader: what it returns, and that the terminal sees only the prompt and a newline.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { secretReader, type Terminal } from '../../../src/cli/terminal-secret.js'

function fakeTerminal(): Terminal & { shown: () => string; raw: boolean[]; input: PassThrough & { isTTY: boolean } } {
  const input = Object.assign(new PassThrough(), { isTTY: true })
  const output = new PassThrough()
  let shown = ''
  output.on('data', (c: Buffer) => { shown += c.toString() })
  const raw: boolean[] = []
  Object.assign(input, { setRawMode: (on: boolean) => { raw.push(on) } })
  return { input, output, shown: () => shown, raw }
}

test('returns the line typed; the terminal shows the prompt and a newline, nothing typed', async () => {
  const term = fakeTerminal()
  const r = secretReader(term)
  const a = r.ask('Password: ')
  term.input.write('s3cr')
  term.input.write('et\r')
  assert.deepEqual(await a, { kind: 'line', text: 's3cret' })
  assert.equal(term.shown(), 'Password: \n')
  assert.deepEqual(term.raw, [true, false])
})

test('backspace, Ctrl-U and arrow keys edit the line; multi-byte characters survive', async () => {
  const term = fakeTerminal()
  const a = secretReader(term).ask('P: ')
  term.input.write('wrong\x15pässx\x7f\x1b[Dwörd\r')
  assert.deepEqual(await a, { kind: 'line', text: 'pässwörd' })
})

test('input typed ahead (or pasted) is kept for the next question', async () => {
  const term = fakeTerminal()
  const r = secretReader(term)
  const first = r.ask('Password: ')
  term.input.write('one\rtwo\r')
  assert.deepEqual(await first, { kind: 'line', text: 'one' })
  assert.deepEqual(await r.ask('Reenter password: '), { kind: 'line', text: 'two' })
  assert.equal(term.shown(), 'Password: \nReenter password: \n')
})

test('Ctrl-C is an interrupt, Ctrl-D on an empty line the end of input; raw mode is always switched off', async () => {
  const term = fakeTerminal()
  const r = secretReader(term)
  const a = r.ask('P: ')
  term.input.write('ab\x03')
  assert.deepEqual(await a, { kind: 'interrupt' })
  const b = r.ask('P: ')
  term.input.write('\x04')
  assert.deepEqual(await b, { kind: 'eof' })
  assert.deepEqual(term.raw, [true, false, true, false])
})

test('an abort signal ends the question as an interrupt', async () => {
  const term = fakeTerminal()
  const ac = new AbortController()
  const a = secretReader(term).ask('P: ', ac.signal)
  ac.abort()
  assert.deepEqual(await a, { kind: 'interrupt' })
  assert.deepEqual(term.raw, [true, false])
})

test('a stream that is not a terminal is read the same way, without raw mode', async () => {
  const input = new PassThrough(), output = new PassThrough()
  const a = secretReader({ input, output }).ask('P: ')
  input.end('piped\n')
  assert.deepEqual(await a, { kind: 'line', text: 'piped' })
})

test('echo is off before the prompt appears: keys typed right after it never show', async () => {
  const events: string[] = []
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (on: boolean) => { events.push(`raw ${on}`) } })
  const output = new PassThrough()
  output.on('data', (c: Buffer) => events.push(`shown ${JSON.stringify(c.toString())}`))
  const a = secretReader({ input, output }).ask('Password: ')
  input.write('x\r')
  await a
  assert.deepEqual(events, ['raw true', 'shown "Password: "', 'raw false', 'shown "\\n"'])
})
