// Issue 10 item 6: a large payload is not copied per subscriber, and its memory is released once delivered;
// max_packet_size refuses an oversized packet as soon as its header arrives. The publisher and subscribers
// are separate processes (tspub, tssub), so the memory measured in this process is the broker's.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createBroker } from '../../src/broker/broker.js'
import { Peer } from '../helpers/broker-peer.js'
import { binPath, cleanEnv } from '../helpers/run-cli.js'

function external(): number {
  (globalThis as { gc?: () => void }).gc?.()
  const m = process.memoryUsage()
  return m.external // arrayBuffers (every Buffer) is part of external already
}

function run(tool: string, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [binPath(tool), ...args], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit'] })
  return new Promise((resolve) => child.once('close', resolve))
}

test('a 50 MB QoS 1 message to five subscribers: at most two copies at once in the broker, none left once delivered', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-big-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'big.bin')
  const SIZE = 50_000_000
  writeFileSync(file, Buffer.alloc(SIZE, 0x5a))
  const broker = createBroker()
  t.after(() => broker.close())
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const subs = Array.from({ length: 5 }, (_, i) => run('tssub', ['-p', String(port), '-i', `big-${i}`, '-t', 'big', '-q', '1', '-C', '1', '-N']))
  const deadline = Date.now() + 20_000
  while (broker.stats.subscriptionsCount < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  const before = external()
  let peak = 0
  const sampler = setInterval(() => { const m = process.memoryUsage(); peak = Math.max(peak, m.external - before) }, 2)
  assert.equal(await run('tspub', ['-p', String(port), '-t', 'big', '-q', '1', '-f', file]), 0)
  assert.deepEqual(await Promise.all(subs), [0, 0, 0, 0, 0])
  clearInterval(sampler)
  assert.ok(peak < 2.2 * SIZE, `peak ${(peak / 1e6).toFixed(0)} MB over the start for a ${SIZE / 1e6} MB message to 5 subscribers`)
  // V8 frees the memory of collected buffers on a background sweeper: give it a moment (bounded) to do so.
  let left = external() - before
  for (let i = 0; i < 40 && left >= 5e6; i++) {
    await new Promise((r) => setTimeout(r, 50))
    left = external() - before
  }
  assert.ok(left < 5e6, `${(left / 1e6).toFixed(1)} MB still held after every subscriber acknowledged`)
})

test('max_packet_size: a packet announcing more is refused once its header is read (v5: DISCONNECT 0x95, and CONNACK tells it)', async (t) => {
  const broker = createBroker({ maxPacketSize: 64 * 1024 })
  t.after(() => broker.close())
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const v5 = await Peer.connected(t, port, 5, 'big5')
  assert.equal((v5.packets[0] as { properties?: { maximumPacketSize?: number } }).properties?.maximumPacketSize, 65536)
  const raw: Buffer[] = []
  v5.socket.on('data', (c: Buffer) => raw.push(c))
  v5.write([0x30, 0x80, 0x80, 0x40]) // a PUBLISH header announcing 1 MiB, and no body yet
  await v5.closedWithin()
  assert.deepEqual([...Buffer.concat(raw)], [0xe0, 0x01, 0x95])
  const v3 = await Peer.connected(t, port, 4, 'big3')
  v3.write([0x30, 0x80, 0x80, 0x40])
  assert.deepEqual(await v3.closedWithin(), [], 'MQTT 3.1.1: closed without a word')
  await Peer.connected(t, port, 4, 'fine') // the broker is fine
})
