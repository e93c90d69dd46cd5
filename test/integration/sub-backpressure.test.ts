// tssub and a slow stdout: it stops reading from the broker until stdout drains (mosquitto_sub blocks in
// write()), so a slow pipe reader slows the broker down instead of filling tssub's memory; nothing is lost.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough, Writable } from 'node:stream'
import { Client } from '../../src/client/client.js'
import { subCommand } from '../../src/cli/sub.js'
import type { Io } from '../../src/cli/io.js'
import { startFakeBroker } from '../helpers/fake-broker.js'

test('a full stdout pauses the connection and a drain resumes it, with every message printed in order', async (t) => {
  const count = 200
  const line = (i: number) => `m${i} ${'x'.repeat(1024)}`
  const fake = await startFakeBroker(t, {
    connack: 0,
    onPacket: (p, send) => {
      if (p.cmd !== 'subscribe') return
      send({ cmd: 'suback', messageId: p.messageId!, granted: [0] })
      // In batches, each sent 5 ms after the previous one; 1 KB messages, 200 KB in all, which no single socket
      // read (64 KB) can hold even when a loaded machine lets the batches pile up in the kernel: the first read
      // fills stdout, so what comes after it can only be read after a resume.
      const batch = (b: number) => {
        for (let i = b * 20; i < (b + 1) * 20; i++) send({ cmd: 'publish', topic: 'a', payload: Buffer.from(line(i)), qos: 0, retain: false, dup: false })
        if ((b + 1) * 20 < count) setTimeout(() => batch(b + 1), 5)
      }
      batch(0)
    },
  })
  let pauses = 0
  let resumes = 0
  const { pause, resume } = Client.prototype
  Client.prototype.pause = function (this: Client) { pauses++; return pause.call(this) }
  Client.prototype.resume = function (this: Client) { resumes++; return resume.call(this) }
  t.after(() => { Client.prototype.pause = pause; Client.prototype.resume = resume })

  const written: string[] = []
  const slowStdout = new Writable({
    highWaterMark: 8, // bytes: a few messages fill it
    write(chunk: Buffer, _enc, done) { written.push(chunk.toString()); setTimeout(done, 1) },
  })
  const io: Io = { stdin: new PassThrough(), stdout: slowStdout, stderr: new PassThrough(), env: { XDG_CONFIG_HOME: '/nonexistent-tsmqtt' }, pid: 1 }
  const code = await subCommand.run(['-h', '127.0.0.1', '-p', String(fake.port), '-t', 'a', '-C', String(count)], io, new AbortController().signal)
  await new Promise<void>((r) => slowStdout.end(r))
  assert.equal(code, 0)
  assert.ok(pauses >= 1 && resumes >= 1, `paused ${pauses} and resumed ${resumes} times`)
  assert.deepEqual(written.join('').split('\n').filter(Boolean), Array.from({ length: count }, (_, i) => line(i)))
})
