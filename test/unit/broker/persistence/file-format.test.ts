// The store file's frames: torn tails are cut off, damage in the middle is told apart, foreign files refused.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PersistenceError, fileHeader, frameHeader, scanFile } from '../../../../src/broker/persistence/file-format.js'

const frame = (text: string) => { const body = Buffer.from(text); return Buffer.concat([frameHeader(body), body]) }
const parse = (body: Buffer) => (body.toString().startsWith('bad') ? undefined : body.toString())
const file = (...bodies: string[]) => Buffer.concat([fileHeader(), ...bodies.map(frame)])

test('a whole file reads back frame by frame', () => {
  const f = file('one', 'two', 'three')
  assert.deepEqual(scanFile(f, parse), { kind: 'ok', frames: ['one', 'two', 'three'], end: f.length })
})

test('cut at every byte offset of its last frame, a file still loads what came before (a torn tail)', () => {
  const whole = file('first', 'second', 'the last frame, cut short')
  const lastStart = file('first', 'second').length
  for (let cut = lastStart; cut < whole.length; cut++) {
    const s = scanFile(whole.subarray(0, cut), parse)
    assert.equal(s.kind, cut === lastStart ? 'ok' : 'torn', `cut at ${cut}`)
    assert.deepEqual(s.frames, ['first', 'second'])
    assert.equal(s.end, lastStart)
  }
})

test('a header cut short while the file was created counts as empty', () => {
  for (let cut = 0; cut < 16; cut++) assert.deepEqual(scanFile(fileHeader().subarray(0, cut), parse), { kind: 'torn', frames: [], end: 0 })
})

test('a flipped byte in a middle frame is damage: the frames before it are kept, the kind says corrupt', () => {
  const f = file('alpha', 'bravo', 'charlie', 'delta')
  const second = file('alpha').length
  for (const offset of [second, second + 5, second + 13, file('alpha', 'bravo').length - 1]) {
    const damaged = Buffer.from(f)
    damaged[offset] = damaged[offset]! ^ 0x40
    assert.deepEqual(scanFile(damaged, parse), { kind: 'corrupt', frames: ['alpha'], end: second }, `flip at ${offset}`)
  }
})

test('a flipped byte in the last frame is a torn tail', () => {
  const f = file('alpha', 'bravo')
  f[f.length - 2] = f[f.length - 2]! ^ 1
  assert.deepEqual(scanFile(f, parse), { kind: 'torn', frames: ['alpha'], end: file('alpha').length })
})

test('a frame whose checksum is right but whose records are not counts as damaged', () => {
  assert.equal(scanFile(file('ok', 'bad records', 'ok again'), parse).kind, 'corrupt')
})

test('a file that is not ours is unreadable (kept aside by the store); mosquitto\'s own file and a newer format are refused', () => {
  assert.equal(scanFile(Buffer.from('hello, this is some other file'), parse).kind, 'unreadable')
  const mosquitto = Buffer.concat([Buffer.from([0x00, 0xb5, 0x00]), Buffer.from('mosquitto db'), Buffer.alloc(40)])
  assert.throws(() => scanFile(mosquitto, parse), (e: unknown) => e instanceof PersistenceError && /mosquitto persistence file/.test(e.message))
  const newer = fileHeader()
  newer.writeUInt32LE(2, 8)
  assert.throws(() => scanFile(newer, parse), /newer tsbroker/)
})

test('zeros after the last frame are space written ahead of the data, not damage: the file is whole, its data ends where they start', () => {
  const data = file('alpha', 'bravo')
  assert.deepEqual(scanFile(Buffer.concat([data, Buffer.alloc(4096)]), parse), { kind: 'ok', frames: ['alpha', 'bravo'], end: data.length })
  assert.deepEqual(scanFile(Buffer.concat([fileHeader(), Buffer.alloc(100)]), parse), { kind: 'ok', frames: [], end: 16 })
})

test('a last frame torn inside the zeros written ahead is a torn tail, at every cut', () => {
  const first = file('first')
  const last = frame('the last frame, cut short')
  for (let cut = 1; cut < last.length; cut++) {
    const torn = Buffer.concat([first, last.subarray(0, cut), Buffer.alloc(1000)])
    assert.deepEqual(scanFile(torn, parse), { kind: 'torn', frames: ['first'], end: first.length }, `cut at ${cut}`)
  }
})
