#!/usr/bin/env node
// tsbench against the shared C generator mqload (../shared/bench/mqload.c) on the same scenarios and the
// same broker, run by run interleaved (mqload, tsbench, mqload, ...), a fresh broker for every run.
// Throughput must agree within a few percent: both count "sent" from the first publish to the last
// publisher finishing and "received" to the last delivery. Also prints each generator's own CPU time, to
// show the generator is not what limits the numbers. Run it under the lock:
//   flock /tmp/tsmqtt-heavy.lock node bench/tsbench-vs-mqload.mjs [--broker mosquitto|tsbroker] [--reps 3]
//     [--scenarios pairs0,qos1,fanin,fanout,rate50k,lat] [--broker-cpus 0 --gen-cpus 1] [--workers N]
// Needs: gcc, mosquitto; the project built (npm run build).
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt }
const broker = arg('--broker', 'mosquitto')
const reps = Number(arg('--reps', '3'))
const only = arg('--scenarios', 'pairs0,qos1,fanin,fanout,rate50k,lat').split(',')
// taskset CPU lists (e.g. 0 and 1) to give the broker and the generator cores of their own; --workers N
// replaces the scenarios' --workers (use 1 when the generator has one core).
const brokerCpus = arg('--broker-cpus', '')
const genCpus = arg('--gen-cpus', '')
const workers = arg('--workers', '')
const pinned = (cpus, cmd, args) => (cpus ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args])

const work = mkdtempSync(join(tmpdir(), 'tsbench-vs-mqload-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
// ../shared/bench next to the clone (from a git worktree: next to the main checkout), or $SHARED_BENCH.
const commonDir = resolve(root, execFileSync('git', ['rev-parse', '--git-common-dir'], { cwd: root, encoding: 'utf8' }).trim())
const shared = [process.env.SHARED_BENCH, join(root, '..', 'shared', 'bench'), join(dirname(commonDir), '..', 'shared', 'bench')]
  .find((d) => d && existsSync(join(d, 'mqload.c')))
if (!shared) throw new Error('mqload.c not found: set SHARED_BENCH to the shared bench folder')
copyFileSync(join(shared, 'mqload.c'), join(work, 'mqload.c'))
execFileSync('gcc', ['-O2', '-Wall', '-o', join(work, 'mqload'), join(work, 'mqload.c')])

// name: [mqload args, tsbench args] — the same load expressed in each tool's flags.
const SCENARIOS = {
  pairs0: { what: '10 publisher-subscriber pairs, QoS 0, 64 B, 500k msgs, as fast as possible',
    mqload: ['-P', '10', '-S', '10', '-n', '500000'], tsbench: ['-c', '10', '-S', '10', '--sub-topic', 'bench/%i', '-C', '50000', '--workers', '2'] },
  qos1: { what: '10 publisher-subscriber pairs, QoS 1, window 16, 250k msgs (the harness\'s qos1)',
    mqload: ['-P', '10', '-S', '10', '-q', '1', '-w', '16', '-n', '250000'], tsbench: ['-c', '10', '-S', '10', '--sub-topic', 'bench/%i', '-q', '1', '-M', '16', '-C', '25000', '--workers', '2'] },
  fanin: { what: '10 publishers -> 1 subscriber on #, QoS 0, 64 B, 500k msgs (the harness\'s fanin, halved)',
    mqload: ['-P', '10', '-S', '1', '-s', '#', '-n', '500000'], tsbench: ['-c', '10', '-S', '1', '--sub-topic', '#', '-C', '50000', '--workers', '2'] },
  fanout: { what: '1 publisher -> 50 subscribers, QoS 0, 64 B, 20k msgs = 1M deliveries (the harness\'s fanout)',
    mqload: ['-P', '1', '-S', '50', '-1', '-n', '20000'], tsbench: ['-c', '1', '-S', '50', '-t', 'bench', '-C', '20000', '--workers', '2'] },
  rate50k: { what: '10 pairs at 50k msg/s in total, QoS 0, 250k msgs, one tsbench thread',
    mqload: ['-P', '10', '-S', '10', '-r', '50000', '-n', '250000'], tsbench: ['-c', '10', '-S', '10', '--sub-topic', 'bench/%i', '--total-rate', '50000', '-C', '25000'] },
  lat: { what: '1 publisher -> 1 subscriber at 2000 msg/s, QoS 0, 10k msgs (the harness\'s lat0)',
    mqload: ['-P', '1', '-S', '1', '-r', '2000', '-n', '10000'], tsbench: ['-c', '1', '-S', '1', '-r', '2000', '-C', '10000'] },
}

function freePort() {
  return new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) }) })
}

async function startBroker() {
  const port = await freePort()
  let child
  if (broker === 'tsbroker') {
    child = spawn(...pinned(brokerCpus, process.execPath, [join(root, 'bin', 'tsbroker.js'), '-p', String(port)]), { stdio: ['ignore', 'pipe', 'ignore'] })
    await new Promise((resolve) => child.stdout.once('data', resolve))
  } else {
    const conf = join(work, 'mosquitto.conf')
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\n${process.getuid?.() === 0 ? 'user root\n' : ''}`)
    child = spawn(...pinned(brokerCpus, 'mosquitto', ['-c', conf]), { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) { // bounded: 5 s
      const up = await new Promise((resolve) => { const s = createServer(); s.once('error', () => resolve(true)); s.listen(port, '127.0.0.1', () => s.close(() => resolve(false))) })
      if (up) break
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { port, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM') }) }
}

/** Run a command under /usr/bin/time; returns stdout and the user+sys CPU seconds. */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'cpu=%U+%S', ...(genCpus ? ['taskset', '-c', genCpus] : []), cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => { out += c })
    child.stderr.on('data', (c) => { err += c })
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000)
    child.on('close', (code) => {
      clearTimeout(killer)
      const m = /cpu=([\d.]+)\+([\d.]+)/.exec(err)
      if (code !== 0 && code !== 9) return reject(new Error(`${cmd} exited ${code}: ${err}`))
      resolve({ out, cpu: m ? Number(m[1]) + Number(m[2]) : NaN })
    })
  })
}

async function runMqload(port, s) {
  const { out, cpu } = await timed(join(work, 'mqload'), ['-p', String(port), ...s.mqload])
  const line = out.split('\n').find((l) => l.startsWith('result:')) ?? ''
  const v = Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]))
  return { sent: v.pub_rate, received: v.recv_rate, p50: v.p50_us / 1000, p99: v.p99_us / 1000, lost: v.expected - v.received, cpu }
}

async function runTsbench(port, s) {
  const args = [...s.tsbench]
  if (workers) { const i = args.indexOf('--workers'); if (i >= 0) args.splice(i, 2); args.push('--workers', workers) }
  const { out, cpu } = await timed(process.execPath, [join(root, 'bin', 'tsbench.js'), '-h', '127.0.0.1', '-p', String(port), '-t', 'bench/%i', '--json', ...args])
  const j = JSON.parse(out)
  return { sent: j.throughput.sent, received: j.throughput.received, p50: j.latencyMs.p50, p99: j.latencyMs.p99, lost: j.messages.lost, cpu }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const k = (n) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0))

console.log(`broker: ${broker}${brokerCpus ? ` on CPU ${brokerCpus}` : ''}; generators${genCpus ? ` on CPU ${genCpus}` : ''}${workers ? `, tsbench --workers ${workers}` : ''}; ` +
  `${reps} interleaved runs per generator; median; node ${process.version}, ${new Date().toISOString()}`)
console.log('')
console.log('| scenario | mqload sent/s | tsbench sent/s | ratio | mqload recv/s | tsbench recv/s | ratio | p50 ms mqload / tsbench | p99 ms mqload / tsbench | lost mqload / tsbench | generator CPU s mqload / tsbench |')
console.log('|---|---|---|---|---|---|---|---|---|---|---|')
for (const name of only) {
  const s = SCENARIOS[name]
  const runs = { mqload: [], tsbench: [] }
  for (let r = 0; r < reps; r++) {
    for (const gen of ['mqload', 'tsbench']) {
      const b = await startBroker()
      try { runs[gen].push(await (gen === 'mqload' ? runMqload : runTsbench)(b.port, s)) } finally { await b.stop() }
    }
  }
  const m = (gen, f) => median(runs[gen].map((x) => x[f]))
  const ratio = (f) => (m('tsbench', f) / m('mqload', f)).toFixed(3)
  console.log(`| ${name}: ${s.what} | ${k(m('mqload', 'sent'))} | ${k(m('tsbench', 'sent'))} | ${ratio('sent')} | ${k(m('mqload', 'received'))} | ${k(m('tsbench', 'received'))} | ${ratio('received')} | ` +
    `${m('mqload', 'p50').toFixed(2)} / ${m('tsbench', 'p50').toFixed(2)} | ${m('mqload', 'p99').toFixed(2)} / ${m('tsbench', 'p99').toFixed(2)} | ` +
    `${m('mqload', 'lost')} / ${m('tsbench', 'lost')} | ${m('mqload', 'cpu').toFixed(2)} / ${m('tsbench', 'cpu').toFixed(2)} |`)
}
