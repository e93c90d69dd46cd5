#!/usr/bin/env node
// One table from the raw results of bench/broker.sh (both modes), bench/startup-ab.mjs --json and
// bench/cli-throughput.sh: medians per scenario and broker, and tsbroker's ratio to mosquitto's.
// Usage: node bench/summary.mjs <broker results dir>... [--startup-ab <file>] [--cli-throughput <file>]...
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const dirs = []
let startupAb
const throughputs = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--startup-ab') startupAb = args[++i]
  else if (args[i] === '--cli-throughput') throughputs.push(args[++i])
  else dirs.push(args[i])
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN }
const rows = []
for (const dir of dirs) {
  for (const line of readFileSync(join(dir, 'raw.txt'), 'utf8').split('\n')) {
    if (!line.startsWith('broker=')) continue
    const kv = Object.fromEntries(line.split(' ').map((w) => w.split('=')).filter((p) => p.length === 2))
    rows.push(kv)
  }
}
const value = (broker, scenario, key) => median(rows.filter((r) => r.broker === broker && r.scenario === scenario && r[key] !== undefined).map((r) => Number(r[key])))

/** [label, scenario, metric, which way is better, comparison broker, our broker] */
const table = [
  ['fan-in, msg/s', 'fanin', 'recv_rate', 'up'],
  ['fan-out, deliveries/s', 'fanout', 'recv_rate', 'up'],
  ['QoS 1 10 → 10, msg/s', 'qos1', 'recv_rate', 'up'],
  ['QoS 1 10 → 10 persistent subscribers, msg/s', 'qos1', 'recv_rate', 'up', 'mosquitto-persist', 'tsbroker-durable'],
  ['durable vs in-memory tsbroker, msg/s', 'qos1', 'recv_rate', 'up', 'tsbroker-memory', 'tsbroker-durable'],
  ['latency QoS 0 at 2k/s, p50 µs', 'lat0', 'p50_us', 'down'],
  ['latency QoS 0 at 2k/s, p99 µs', 'lat0', 'p99_us', 'down'],
  ['latency QoS 1 at 2k/s, p50 µs', 'lat1', 'p50_us', 'down'],
  ['latency QoS 1 at 2k/s, p99 µs', 'lat1', 'p99_us', 'down'],
  ['broker CPU at 2k msg/s, %', 'lat0', 'broker_cpu_pct', 'down'],
  ['memory per idle connection, KB', 'idle', 'kb_per_conn', 'down'],
  ['connections per second', 'idle', 'conn_per_s', 'up'],
  ['peak RSS during fan-in, KB', 'fanin', 'broker_hwm_kb', 'down'],
]
const out = []
for (const [label, scenario, key, better, them = 'mosquitto', us = 'tsbroker'] of table) {
  const a = value(them, scenario, key)
  const b = value(us, scenario, key)
  if (Number.isNaN(a) && Number.isNaN(b)) continue
  const ratio = b / a
  out.push({ scenario: label, reference: `${fmt(a)} (${them})`, tsbroker: fmt(b), 'tsbroker ÷ reference': Number.isFinite(ratio) ? `${ratio.toFixed(2)}x${better === 'down' ? ' (lower is better)' : ''}` : '' })
}

if (startupAb) {
  // bench/startup-ab.mjs: node -e 0, the dependency-free publish and this checkout's tspub interleaved round by
  // round, medians: steadier than hyperfine's back-to-back blocks (bench/cli-startup.sh, still run for its
  // mosquitto_pub and tssub timings).
  const [e0, min, tspub] = JSON.parse(readFileSync(startupAb, 'utf8')).commands
  const row = (scenario, c) => ({ scenario, reference: `${fmt(e0.wallMs)} (node -e 0)`, tsbroker: fmt(c.wallMs), 'tsbroker ÷ reference': `${(c.wallMs / e0.wallMs).toFixed(2)}x (lower is better)` })
  out.push(row('tspub one publish, ms (interleaved medians)', tspub), row('dependency-free Node publish (the floor), ms', min))
}
// one or more bench/cli-throughput.sh outputs: each says which broker both clients went through
for (const throughput of throughputs) {
  const text = readFileSync(throughput, 'utf8')
  const via = /broker=(\S+)/.exec(text)?.[1] ?? 'mosquitto'
  const m = Object.fromEntries(text.split('\n').filter((l) => / msg\/s$/.test(l) && l.split(' ').length === 4)
    .map((l) => { const [kind, name, n] = l.split(' '); return [`${kind} ${name}`, Number(n)] }))
  for (const [label, them, us] of [['subscriber flood, msg/s (tssub -v vs mosquitto_sub -v)', 'sub mosquitto_sub', 'sub tssub'], ['publisher -l lines, msg/s (tspub vs mosquitto_pub)', 'pub mosquitto_pub', 'pub tspub']]) {
    if (m[them] === undefined) continue
    out.push({ scenario: `${label}, through ${via}`, reference: `${fmt(m[them])} (${them.split(' ')[1]})`, tsbroker: fmt(m[us]), 'tsbroker ÷ reference': `${(m[us] / m[them]).toFixed(2)}x` })
  }
}
console.table(out)

function fmt(n) { return Number.isFinite(n) ? (n >= 100 ? Math.round(n).toLocaleString('en') : String(Math.round(n * 100) / 100)) : '—' }
