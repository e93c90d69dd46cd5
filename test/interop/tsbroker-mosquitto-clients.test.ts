import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mosquittoMissing } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

const skip = mosquittoMissing()

test('mosquitto_sub -v -t $SYS/# against tsbroker shows mosquitto\'s topic names and payload shapes', { skip }, async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  const r = await runCli('mosquitto_sub', ['-p', String(b.port), '-h', '127.0.0.1', '-v', '-t', '$SYS/#', '-C', '48', '-W', '10'], { timeoutMs: 15_000 })
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.toString().trimEnd().split('\n')
  const RETAINED = '$SYS/broker/retained messages/count' // the one topic with a space in it
  const byTopic = new Map(lines.map((l) => [l.startsWith(RETAINED) ? RETAINED : l.slice(0, l.indexOf(' ')), l]))
  assert.match(byTopic.get('$SYS/broker/version') ?? '', /^\$SYS\/broker\/version tsbroker version \d+\.\d+\.\d+/)
  assert.match(byTopic.get('$SYS/broker/uptime') ?? '', /^\$SYS\/broker\/uptime \d+ seconds$/)
  assert.match(byTopic.get('$SYS/broker/retained messages/count') ?? '', /^\$SYS\/broker\/retained messages\/count \d+$/)
  for (const topic of ['clients/total', 'clients/connected', 'clients/disconnected', 'clients/maximum', 'messages/received',
    'messages/sent', 'publish/messages/received', 'publish/messages/sent', 'bytes/received', 'bytes/sent', 'subscriptions/count']) {
    assert.match(byTopic.get(`$SYS/broker/${topic}`) ?? '', /^\S+ \d+$/, topic)
  }
  assert.match(byTopic.get('$SYS/broker/load/messages/received/1min') ?? '', /^\S+ \d+\.\d\d$/)
})

test('$SYS is not matched by a bare # subscription; retained $SYS snapshot arrives with r1 at QoS ≤ 2', { skip }, async (t) => {
  const b = await spawnTsbroker(t, ['-p', '0'])
  const r = await runCli('mosquitto_sub', ['-p', String(b.port), '-h', '127.0.0.1', '-t', '$SYS/broker/version', '-q', '2', '-F', '%r %q %t', '-C', '1', '-W', '10'], { timeoutMs: 15_000 })
  assert.equal(r.stdout.toString(), '1 2 $SYS/broker/version\n')
  const none = await runCli('mosquitto_sub', ['-p', String(b.port), '-h', '127.0.0.1', '-t', '#', '-C', '1', '-W', '1'], { timeoutMs: 10_000 })
  assert.equal(none.code, 27, 'timed out: nothing matched #')
  assert.equal(none.stdout.toString(), '')
})

test('mosquitto_pub → tsbroker (from a mosquitto.conf) → mosquitto_sub, with a password file made by mosquitto_passwd', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-interop-'))
  const pw = join(dir, 'pw')
  writeFileSync(pw, '')
  const mk = await runCli('mosquitto_passwd', ['-b', pw, 'alice', 's3cret'], { timeoutMs: 10_000 })
  assert.equal(mk.code, 0, mk.stderr)
  const conf = join(dir, 'm.conf')
  writeFileSync(conf, `password_file ${pw}\nallow_anonymous false\nsys_interval 0\n`)
  const b = await spawnTsbroker(t, ['-c', conf, '-p', '0'])
  const auth = ['-u', 'alice', '-P', 's3cret']
  const sub = runCli('mosquitto_sub', ['-p', String(b.port), '-h', '127.0.0.1', ...auth, '-v', '-t', 'i/#', '-C', '1', '-W', '10'], { timeoutMs: 15_000 })
  // publish until the subscriber (started concurrently) has received one; bounded
  let got
  for (let i = 0; i < 40; i++) {
    await runCli('mosquitto_pub', ['-p', String(b.port), '-h', '127.0.0.1', ...auth, '-t', 'i/x', '-m', 'hi', '-q', '1'], { timeoutMs: 10_000 })
    got = await Promise.race([sub, new Promise((r) => setTimeout(() => r(undefined), 100))])
    if (got) break
  }
  const s = await sub
  assert.equal(s.code, 0, s.stderr)
  assert.equal(s.stdout.toString(), 'i/x hi\n')
  const bad = await runCli('mosquitto_pub', ['-p', String(b.port), '-h', '127.0.0.1', '-u', 'alice', '-P', 'wrong', '-t', 'i/x', '-m', 'x'], { timeoutMs: 10_000 })
  assert.equal(bad.code, 5)
})
