import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { LineSplitter, loadPayload, readStdinPayload, readPayloadFile, InputError } from '../../../src/cli/input.js'

const collect = async (chunks: Buffer[]) => {
  const s = new LineSplitter()
  const out = chunks.flatMap((c) => s.push(c))
  const tail = s.end()
  return [...out, ...(tail ? [tail] : [])].map((l) => l.toString('latin1'))
}

test('-l splits at \\n only, keeps \\r, sends empty lines and the unterminated last line', async () => {
  assert.deepEqual(await collect([Buffer.from('a\r\n\nb'), Buffer.from('c\nlast')]), ['a\r', '', 'bc', 'last'])
})

test('-l is binary safe across chunk boundaries', async () => {
  const bytes = Buffer.from([0, 255, 10, 1, 2])
  assert.deepEqual(await collect([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]), ['\u0000\u00ff', '\u0001\u0002'])
})

test('-l on empty input yields nothing; a final newline adds no empty message', async () => {
  assert.deepEqual(await collect([]), [])
  assert.deepEqual(await collect([Buffer.from('x\n')]), ['x'])
  const s = new LineSplitter()
  assert.deepEqual(s.push(Buffer.from('\n')), [Buffer.alloc(0)])
  assert.equal(s.end(), undefined)
})

test('-s reads all of stdin byte for byte and refuses empty input with mosquitto\'s lines', async () => {
  const data = Buffer.from([0, 1, 2, 10, 13, 255])
  assert.deepEqual(await readStdinPayload(Readable.from([data])), data)
  await assert.rejects(readStdinPayload(Readable.from([])), (e: unknown) =>
    e instanceof InputError && e.lines.join('|') === 'Error: Zero length input.|Error loading input from stdin.')
})

test('-f on a missing file gives mosquitto\'s two lines', async () => {
  await assert.rejects(readPayloadFile('/nonexistent/x'), (e: unknown) =>
    e instanceof InputError && e.lines[0] === 'Error: Unable to open file "/nonexistent/x".' && e.lines[1] === 'Error loading input file "/nonexistent/x".')
})

test('only -s reads stdin: -m, -n and -l never make process.stdin (a stream and its module: start-up, bench/RESULTS.md)', async () => {
  const untouched = { get stdin(): Readable { throw new Error('stdin was read') } }
  assert.deepEqual(await loadPayload({ mode: 'message', payload: Buffer.from('x') }, untouched), Buffer.from('x'))
  assert.deepEqual(await loadPayload({ mode: 'null' }, untouched), Buffer.alloc(0))
  assert.equal(await loadPayload({ mode: 'stdin-line' }, untouched), undefined)
  assert.deepEqual(await loadPayload({ mode: 'stdin-file' }, { stdin: Readable.from([Buffer.from('in')]) }), Buffer.from('in'))
})
