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

test('persistence: mosquitto_sub -c -i sessions and mosquitto_pub messages survive a tsbroker kill -9 and a SIGTERM restart', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-persist-'))
  const conf = join(dir, 'tsbroker.conf')
  writeFileSync(conf, `persistence true\npersistence_location ${dir}/\nsys_interval 0\n`)
  const sub = (port: number, extra: string[]) => runCli('mosquitto_sub', ['-p', String(port), '-h', '127.0.0.1', '-c', '-i', 'pi-reader', '-q', '2', '-v', '-t', 'pi/#', ...extra], { timeoutMs: 15_000 })
  const pub = (port: number, args: string[]) => runCli('mosquitto_pub', ['-p', String(port), '-h', '127.0.0.1', ...args], { timeoutMs: 10_000 })
  let b = await spawnTsbroker(t, ['-c', conf, '-p', '0'])
  assert.equal((await sub(b.port, ['-E'])).code, 0) // the persistent session and its subscription
  assert.equal((await pub(b.port, ['-t', 'pi/temp', '-m', '21.5', '-q', '1'])).code, 0)
  assert.equal((await pub(b.port, ['-t', 'pi/door', '-m', 'open', '-q', '2'])).code, 0)
  assert.equal((await pub(b.port, ['-t', 'pi/status', '-m', 'online', '-q', '1', '-r'])).code, 0)
  process.kill(b.pid, 'SIGKILL')
  await b.exited

  b = await spawnTsbroker(t, ['-c', conf, '-p', '0'])
  // the three queued messages, and the retained one again: mosquitto_sub subscribes on every connect
  const queued = await sub(b.port, ['-C', '4', '-W', '10'])
  assert.equal(queued.code, 0, queued.stderr)
  assert.deepEqual(queued.stdout.toString().split('\n').filter(Boolean).sort(), ['pi/door open', 'pi/status online', 'pi/status online', 'pi/temp 21.5'])
  assert.equal((await pub(b.port, ['-t', 'pi/temp', '-m', '22.0', '-q', '1'])).code, 0) // queued again for the offline session
  process.kill(b.pid, 'SIGTERM')
  assert.equal((await b.exited).code, 0)

  b = await spawnTsbroker(t, ['-c', conf, '-p', '0'])
  const again = await sub(b.port, ['-C', '1', '-W', '10'])
  assert.equal(again.stdout.toString(), 'pi/temp 22.0\n')
  const retained = await runCli('mosquitto_sub', ['-p', String(b.port), '-h', '127.0.0.1', '-t', 'pi/status', '-C', '1', '-W', '10', '-F', '%r %p'], { timeoutMs: 15_000 })
  assert.equal(retained.stdout.toString(), '1 online\n')
})
