// The store file's appends: durable positioned writes into space written with zeros ahead of them. What
// is on disk after them must read back as exactly the frames appended, the zeros after them as padding.
import assert from 'node:assert/strict'
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileHeader, frameHeader, scanFile } from '../../../../src/broker/persistence/file-format.js'
import { APPEND_FLAGS, NodeStoreFile, PREALLOCATE_BYTES } from '../../../../src/broker/persistence/store-file.js'

function freshFile(t: TestContext): { path: string; file: NodeStoreFile } {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-storefile-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'tsbroker.db')
  writeFileSync(path, fileHeader())
  return { path, file: new NodeStoreFile(path, openSync(path, APPEND_FLAGS), fileHeader().length) }
}

const frame = (body: Buffer) => [frameHeader(body), body]
const asText = (body: Buffer) => body.toString()

test('appended frames are followed on disk by zeros written ahead; the file reads back as exactly those frames', async (t) => {
  const { path, file } = freshFile(t)
  await file.append(frame(Buffer.from('one')))
  await file.append(frame(Buffer.from('two')))
  const size = file.size
  await file.close() // waits for the zeros being written
  const disk = readFileSync(path)
  assert.ok(disk.length >= size + PREALLOCATE_BYTES / 2, `${disk.length} bytes on disk for ${size} of data`)
  assert.ok(disk.subarray(size).every((b) => b === 0), 'only zeros after the data')
  assert.deepEqual(scanFile(disk, asText), { kind: 'ok', frames: ['one', 'two'], end: size })
})

test('a frame larger than the space written ahead waits for the zeros and is not overwritten by them', async (t) => {
  const { path, file } = freshFile(t)
  await file.append(frame(Buffer.from('small'))) // starts writing zeros after it
  const big = Buffer.alloc(PREALLOCATE_BYTES + 12345, 0x61)
  await file.append(frame(big))
  await file.append(frame(Buffer.from('after')))
  await file.close()
  const s = scanFile(readFileSync(path), (body) => (body.length > 100 ? `big:${body.every((b) => b === 0x61)}` : asText(body)))
  assert.deepEqual(s.frames, ['small', 'big:true', 'after'])
  assert.equal(s.kind, 'ok')
})

test('an append after close is refused', async (t) => {
  const { file } = freshFile(t)
  await file.close()
  await assert.rejects(file.append(frame(Buffer.from('late'))), /closed/)
})
