#!/usr/bin/env node
// Start-up of `tspub` from one or more built checkouts, interleaved: every round runs `node -e 0`, the
// dependency-free publish (../shared/bench/node-min-pub.mjs) and each checkout's one QoS 0 publish once, in a
// shuffled order, against one local mosquitto. A few milliseconds are a few per cent of a start, less than
// what a shared machine's load drifts between hyperfine's back-to-back blocks; interleaving puts the drift
// into every command alike, so the ratios to `node -e 0` of one run can be compared.
// Each checkout gets its own compiled-code cache folder (a tool keeps one cache file, so two builds sharing
// a folder would evict each other's at every run) and the warm-up round makes it.
// Usage: node bench/startup-ab.mjs ROUNDS [--json FILE] CHECKOUT... (each built, with node_modules); prints
// medians of the wall time and, with perf installed, of the CPU time, each also as a ratio to `node -e 0`'s;
// --json also writes them to FILE (bench/run-all.sh hands that to bench/summary.mjs).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const [roundsArg, ...rest] = process.argv.slice(2)
const jsonAt = rest.indexOf('--json')
const json = jsonAt >= 0 ? rest.splice(jsonAt, 2)[1] : undefined
const trees = rest
const rounds = Number(roundsArg)
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000 || trees.length === 0) {
  console.error('usage: node bench/startup-ab.mjs ROUNDS(1-1000) [--json FILE] CHECKOUT...')
  process.exit(2)
}

const port = await new Promise((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => done(p)) })
})
const dir = mkdtempSync(join(tmpdir(), 'startup-ab-'))
writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\n${process.getuid?.() === 0 ? 'user root\n' : ''}`)
const broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' })
process.on('exit', () => broker.kill('SIGTERM'))
broker.unref() // the broker does not keep this script alive: it ends at 'exit'
for (let i = 0; i < 50; i++) {
  if (spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'bench/t', '-m', 'x']).status === 0) break
  await new Promise((r) => setTimeout(r, 100))
}

const pub = ['-h', '127.0.0.1', '-p', String(port), '-t', 'bench/t', '-m', 'x']
const minPub = resolve(new URL('../../shared/bench/node-min-pub.mjs', import.meta.url).pathname)
const cmds = [
  { name: 'node -e 0', args: ['-e', '0'], env: {} },
  { name: 'node-min-pub', args: [minPub, String(port), 'bench/t', 'x'], env: {} },
  ...trees.map((t) => ({ name: t, args: [join(t, 'bin/tspub.js'), ...pub], env: { XDG_CACHE_HOME: mkdtempSync(join(dir, 'cache-')) } })),
]
const env = { ...process.env, XDG_CONFIG_HOME: mkdtempSync(join(dir, 'config-')) } // no options file

// CPU time (user + system) as well as wall time, where perf is installed: `perf stat -e task-clock` counts
// the process's own CPU, which the other core's load disturbs less than the wall clock.
const perf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0
const perfOut = join(dir, 'perf.csv')

// The wall time comes from a run of its own, without perf (whose set-up would add to every command alike and
// so shrink the ratios); the CPU time from a second run under perf.
function run(c, file, args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(file, args, { env: { ...env, ...c.env }, stdio: 'ignore', timeout: 10_000 })
  if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}`)
  return Number(process.hrtime.bigint() - t0) / 1e6
}
function once(c) {
  const wall = run(c, process.execPath, c.args)
  if (!perf) return { wall, cpu: NaN }
  run(c, 'perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', process.execPath, ...c.args])
  const line = readFileSync(perfOut, 'utf8').split('\n').find((l) => l.includes('task-clock'))
  return { wall, cpu: line === undefined ? NaN : Number(line.split(',')[0]) }
}

for (const c of cmds) { once(c); c.ms = []; c.cpu = [] } // warm-up: file cache, code caches
for (let r = 0; r < rounds; r++) {
  const order = cmds.slice()
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]] }
  for (const c of order) { const t = once(c); c.ms.push(t.wall); c.cpu.push(t.cpu) }
}
const median = (a) => { const s = a.slice().sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }
const floor = median(cmds[0].ms)
const cpuFloor = median(cmds[0].cpu)
console.log(`# ${new Date().toISOString()} rounds=${rounds} node=${process.version} load=${loadavg()[0].toFixed(2)} (medians; cpu: user + system${perf ? '' : ', needs perf'})`)
for (const c of cmds) {
  const m = median(c.ms)
  const cpu = median(c.cpu)
  console.log(`${c.name.padEnd(36)} wall ${m.toFixed(1).padStart(6)} ms ${(m / floor).toFixed(3)}x   cpu ${cpu.toFixed(1).padStart(6)} ms ${(cpu / cpuFloor).toFixed(3)}x`)
}
if (json !== undefined) {
  const commands = cmds.map((c) => ({ name: c.name, wallMs: median(c.ms), cpuMs: perf ? median(c.cpu) : null }))
  writeFileSync(json, `${JSON.stringify({ date: new Date().toISOString(), rounds, node: process.version, commands }, null, 1)}\n`)
}
