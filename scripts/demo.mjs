#!/usr/bin/env node
// npm run demo: tsbroker on a free port, tssub waiting for two messages, tspub sending them.
// Needs a build (npm run build). Only this script's own children are stopped, by PID, and the whole
// demo is bounded by a deadline.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = (tool) => fileURLToPath(new URL(`../bin/${tool}.js`, import.meta.url))
const DEADLINE_MS = 20_000
const children = new Set()

function start(tool, args, stdio = ['ignore', 'pipe', 'pipe']) {
  const child = spawn(process.execPath, [bin(tool), ...args], { stdio })
  children.add(child)
  child.done = new Promise((resolve) => child.once('close', (code) => { children.delete(child); resolve(code) }))
  return child
}

function stopAll(signal) {
  for (const c of children) if (c.exitCode === null) c.kill(signal)
}

const deadline = setTimeout(() => {
  console.error(`demo: no result within ${DEADLINE_MS / 1000} s, giving up`)
  stopAll('SIGKILL')
  process.exit(1)
}, DEADLINE_MS)

/** tsbroker's first stdout line is its address, e.g. 127.0.0.1:41234 (no log parsing). */
function firstLine(child) {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve(out.slice(0, nl))
    })
    child.once('close', (code) => reject(new Error(`tsbroker exited with ${code} before listening`)))
  })
}

try {
  const broker = start('tsbroker', ['-p', '0'], ['ignore', 'pipe', 'ignore'])
  const address = await firstLine(broker)
  const port = address.slice(address.lastIndexOf(':') + 1)
  console.log(`tsbroker listening on ${address}`)

  const sub = start('tssub', ['-v', '-t', 'demo/#', '-C', '2', '-p', port, '-h', '127.0.0.1'])
  let received = ''
  sub.stdout.on('data', (c) => { received += c })
  sub.stderr.pipe(process.stderr)

  // Retained (-r), so the subscriber gets both messages whether it subscribed before or after them:
  // no sleeping to "let it subscribe first".
  for (const [topic, message] of [['demo/greeting', 'Bonjour'], ['demo/temperature', '21.5']]) {
    const pub = start('tspub', ['-t', topic, '-m', message, '-r', '-q', '1', '-p', port, '-h', '127.0.0.1'], ['ignore', 'ignore', 'inherit'])
    const code = await pub.done
    if (code !== 0) throw new Error(`tspub exited with ${code}`)
    console.log(`tspub sent ${message} to ${topic}`)
  }

  const subCode = await sub.done
  if (subCode !== 0) throw new Error(`tssub exited with ${subCode}`)
  console.log('tssub -v received:')
  process.stdout.write(received.replace(/^/gm, '  ').replace(/ {2}$/, ''))

  broker.kill('SIGTERM')
  const brokerCode = await broker.done
  if (brokerCode !== 0) throw new Error(`tsbroker exited with ${brokerCode} on SIGTERM`)
  clearTimeout(deadline)
} catch (err) {
  console.error(`demo: ${err.message}`)
  stopAll('SIGTERM')
  clearTimeout(deadline)
  process.exitCode = 1
}
