// tspub/tssub against the real mosquitto broker: options file, persistent sessions, wills, ids, retained.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, cleanEnv, binPath } from '../helpers/run-cli.js'
import { mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'

const skip = mosquittoMissing()
const conn = (port: number) => ['-h', '127.0.0.1', '-p', String(port)]

test('the options file is read first, split at the first space, and sub topics accumulate with argv', { skip }, async (t) => {
  const m = await startMosquitto(t)
  const env = cleanEnv()
  mkdirSync(env.XDG_CONFIG_HOME!, { recursive: true })
  writeFileSync(join(env.XDG_CONFIG_HOME!, 'tssub'), `# comment\n-h 127.0.0.1\n-p ${m.port}\n-v\n-t cfg/topic with space\n`)
  writeFileSync(join(env.XDG_CONFIG_HOME!, 'tspub'), `-h 127.0.0.1\n-p ${m.port}\n-r\n`)
  assert.equal((await runCli('tspub', ['-t', 'cfg/topic with space', '-m', 'from file'], { env })).code, 0)
  assert.equal((await runCli('tspub', ['-t', 'cfg/other', '-m', 'from argv'], { env })).code, 0)
  const r = await runCli('tssub', ['-t', 'cfg/other', '-C', '2'], { env })
  assert.equal(r.code, 0)
  const lines = r.stdout.toString().split('\n').filter(Boolean).sort()
  assert.deepEqual(lines, ['cfg/other from argv', 'cfg/topic with space from file'])
})

test('a persistent session (-c -i) gets the QoS 1 messages published while it was away', { skip }, async (t) => {
  const m = await startMosquitto(t)
  const id = `persist-${process.pid}`
  const first = await runCli('tssub', [...conn(m.port), '-c', '-i', id, '-q', '1', '-t', 'p/t', '-E'])
  assert.equal(first.code, 0)
  for (const msg of ['one', 'two']) {
    assert.equal((await runCli('tspub', [...conn(m.port), '-q', '1', '-t', 'p/t', '-m', msg])).code, 0)
  }
  const again = await runCli('tssub', [...conn(m.port), '-c', '-i', id, '-q', '1', '-t', 'p/t', '-C', '2'])
  assert.equal(again.code, 0)
  assert.equal(again.stdout.toString(), 'one\ntwo\n')
})

test('a will is published when tssub dies, and with v5 also on SIGTERM (DISCONNECT 0x04)', { skip }, async (t) => {
  const m = await startMosquitto(t)
  for (const [version, how] of [['311', 'SIGKILL'], ['5', 'SIGTERM']] as const) {
    const watcher = runCli('mosquitto_sub', [...conn(m.port), '-t', `will/${version}`, '-C', '1', '-v', '-W', '8'])
    await new Promise((r) => setTimeout(r, 300)) // mosquitto_sub has no ready signal; the will is not retained
    const child = spawn(process.execPath, [binPath('tssub'), ...conn(m.port), '-V', version, '-t', 'x',
      '--will-topic', `will/${version}`, '--will-payload', `gone ${version}`], { env: cleanEnv(), stdio: 'ignore' })
    await new Promise((r) => setTimeout(r, 500))
    child.kill(how)
    const w = await watcher
    assert.equal(w.stdout.toString(), `will/${version} gone ${version}\n`, `will after ${how}`)
  }
})

test('-I appends the process id to the prefix (seen in the broker log)', { skip }, async (t) => {
  const m = await startMosquitto(t, ['log_type all'])
  const r = await runCli('tspub', [...conn(m.port), '-I', 'pfx-', '-t', 'a', '-m', 'x'])
  assert.equal(r.code, 0)
  assert.match(m.log(), /New client connected from 127\.0\.0\.1:\d+ as pfx-\d+ \(p2, c1, k60\)/)
})

test('-V 31 without -i connects with a generated mosq- id, as libmosquitto does', { skip }, async (t) => {
  const m = await startMosquitto(t, ['log_type all'])
  const r = await runCli('tspub', [...conn(m.port), '-V', '31', '-t', 'a', '-m', 'x'])
  assert.equal(r.code, 0)
  assert.match(m.log(), /as mosq-[A-Za-z0-9]{18} \(p1, c1, k60\)/)
})

test('-s sends stdin byte for byte and tssub -N prints it unchanged; -n -r clears the retained message', { skip }, async (t) => {
  const m = await startMosquitto(t)
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
  assert.equal((await runCli('tspub', [...conn(m.port), '-r', '-q', '2', '-t', 'bin', '-s'], { stdin: bytes })).code, 0)
  const got = await runCli('tssub', [...conn(m.port), '-t', 'bin', '-C', '1', '-N'])
  assert.deepEqual(got.stdout, bytes)
  assert.equal((await runCli('tspub', [...conn(m.port), '-r', '-t', 'bin', '-n'])).code, 0)
  const none = await runCli('tssub', [...conn(m.port), '-t', 'bin', '-W', '1'])
  assert.equal(none.code, 27)
  assert.equal(none.stdout.length, 0)
})

test('--remove-retained clears what it sees; --retained-only exits at the first live message', { skip }, async (t) => {
  const m = await startMosquitto(t)
  for (const n of ['1', '2']) await runCli('tspub', [...conn(m.port), '-r', '-t', `rr/${n}`, '-m', n])
  const removed = await runCli('tssub', [...conn(m.port), '-t', 'rr/#', '--remove-retained', '-W', '1'])
  assert.equal(removed.stdout.toString().split('\n').filter(Boolean).sort().join(','), '1,2')
  const after = await runCli('mosquitto_sub', [...conn(m.port), '-t', 'rr/#', '-W', '1'])
  assert.equal(after.stdout.length, 0, 'retained messages were cleared')
})

test('interleaved user properties print in wire order, as mosquitto_sub prints them (%P, %j, --json)', { skip }, async (t) => {
  const m = await startMosquitto(t)
  const props = ['-D', 'publish', 'user-property', 'a', '1', '-D', 'publish', 'user-property', 'b', '2', '-D', 'publish', 'user-property', 'a', '3']
  // mosquitto_pub writes them in argv order (a, b, a) on the wire.
  assert.equal((await runCli('mosquitto_pub', [...conn(m.port), '-r', ...props, '-t', 'up/t', '-m', 'x'])).code, 0)
  const sub = ['-V', '5', '-C', '1', '-t', 'up/t', '-F', '%P|%j']
  const mask = (b: Buffer) => b.toString().replace(/"tst":"[^"]*"/, '"tst":"T"')
  const ref = await runCli('mosquitto_sub', [...conn(m.port), ...sub])
  const ours = await runCli('tssub', [...conn(m.port), ...sub])
  assert.equal(ours.code, ref.code)
  assert.equal(mask(ours.stdout).split('|')[0], 'a:1 b:2 a:3')
  assert.equal(mask(ours.stdout).split('|')[0], mask(ref.stdout).split('|')[0], '%P matches mosquitto_sub')
  const json = await runCli('tssub', [...conn(m.port), '-V', '5', '-C', '1', '-t', 'up/t', '--json'])
  assert.match(json.stdout.toString(), /\{"a":"1"\},\{"b":"2"\},\{"a":"3"\}/)
})
