// Differential tests: the same command line through mosquitto_pub/mosquitto_sub and through tspub/tssub,
// against the same real mosquitto broker, must give the same stdout bytes and the same exit code.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, cleanEnv, type CliResult } from '../helpers/run-cli.js'
import { mosquittoMissing, startMosquitto, type RunningMosquitto } from '../helpers/mosquitto.js'

const skip = mosquittoMissing()
const files = mkdtempSync(join(tmpdir(), 'tsmqtt-diff-'))
const binary = join(files, 'binary.bin')
writeFileSync(binary, Buffer.from([0, 1, 2, 3, 10, 13, 255, 254, 0, 65]))
const textFile = join(files, 'text.txt')
writeFileSync(textFile, 'line one\nline two\n')

interface Case {
  name: string
  /** Publisher argv (no -h/-p); `{T}` is the case's topic. */
  pub?: string[]
  pubStdin?: string
  /** Subscriber argv (no -h/-p). */
  sub?: string[]
  /** Compare stderr too (tool name normalised). */
  stderr?: boolean
}

const cases: Case[] = [
  { name: 'default output', pub: ['-r', '-t', '{T}', '-m', 'hello'], sub: ['-C', '1', '-t', '{T}'] },
  { name: '-v', pub: ['-r', '-t', '{T}', '-m', 'hello world'], sub: ['-C', '1', '-v', '-t', '{T}'] },
  { name: '-N', pub: ['-r', '-t', '{T}', '-m', 'no newline'], sub: ['-C', '1', '-N', '-t', '{T}'] },
  { name: '-v -N', pub: ['-r', '-t', '{T}', '-m', 'x'], sub: ['-C', '1', '-v', '-N', '-t', '{T}'] },
  { name: 'QoS 1 publish, QoS 1 subscribe', pub: ['-r', '-q', '1', '-t', '{T}', '-m', 'q1'], sub: ['-C', '1', '-q', '1', '-v', '-t', '{T}'] },
  { name: 'QoS 2 publish, QoS 2 subscribe', pub: ['-r', '-q', '2', '-t', '{T}', '-m', 'q2'], sub: ['-C', '1', '-q', '2', '-v', '-t', '{T}'] },
  { name: 'binary -f round trip', pub: ['-r', '-t', '{T}', '-f', binary], sub: ['-C', '1', '-N', '-t', '{T}'] },
  { name: 'text -f keeps newlines', pub: ['-r', '-t', '{T}', '-f', textFile], sub: ['-C', '1', '-t', '{T}'] },
  { name: '-s from stdin', pub: ['-r', '-t', '{T}', '-s'], pubStdin: 'from stdin\r\nsecond', sub: ['-C', '1', '-t', '{T}'] },
  { name: 'wildcard subscription -v', pub: ['-r', '-t', '{T}/a/b', '-m', 'deep'], sub: ['-C', '1', '-v', '-t', '{T}/+/#'] },
  { name: 'UTF-8 payload and topic', pub: ['-r', '-t', '{T}/ü', '-m', 'héllo 日本 🎉'], sub: ['-C', '1', '-v', '-t', '{T}/#'] },
  { name: '-F %t %q %r %l', pub: ['-r', '-q', '1', '-t', '{T}', '-m', 'fmt'], sub: ['-C', '1', '-q', '1', '-F', '%t %q %r %l %p', '-t', '{T}'] },
  { name: '-F hex', pub: ['-r', '-t', '{T}', '-f', binary], sub: ['-C', '1', '-F', '%x|%X', '-t', '{T}'] },
  { name: '-R drops retained (then -W)', pub: ['-r', '-t', '{T}', '-m', 'old'], sub: ['-R', '-W', '1', '-t', '{T}'] },
  { name: '--retained-only', pub: ['-r', '-t', '{T}', '-m', 'kept'], sub: ['--retained-only', '-W', '2', '-v', '-t', '{T}'] },
  { name: '-T filters out', pub: ['-r', '-t', '{T}/x', '-m', 'hidden'], sub: ['-W', '1', '-v', '-t', '{T}/#', '-T', '{T}/x'] },
  { name: '-E exits after SUBACK', sub: ['-E', '-t', '{T}/none'] },
  { name: 'empty retained payload clears (-W timeout)', pub: ['-r', '-t', '{T}', '-n'], sub: ['-W', '1', '-v', '-t', '{T}'] },
  { name: 'v5 subscriber', pub: ['-r', '-t', '{T}', '-m', 'five'], sub: ['-V', '5', '-C', '1', '-v', '-t', '{T}'] },
  { name: 'v3.1 publisher', pub: ['-V', '31', '-r', '-t', '{T}', '-m', 'three-one'], sub: ['-C', '1', '-v', '-t', '{T}'] },
  { name: 'v5 publisher with -D properties', pub: ['-r', '-D', 'publish', 'content-type', 'text/plain', '-t', '{T}', '-m', 'ct'], sub: ['-V', '5', '-C', '1', '-F', '%C %p', '-t', '{T}'] },
  { name: 'payload starting with a dash', pub: ['-r', '-t', '{T}', '-m', '-x'], sub: ['-C', '1', '-t', '{T}'] },
  { name: 'later -t wins for pub', pub: ['-r', '-t', 'ignored/first', '-t', '{T}', '-m', 'last'], sub: ['-C', '1', '-v', '-t', '{T}'] },
  { name: 'two -t for sub', pub: ['-r', '-t', '{T}/2', '-m', 'two'], sub: ['-C', '1', '-v', '-t', '{T}/1', '-t', '{T}/2'] },
  { name: '--repeat 3 with QoS 1', pub: ['-q', '1', '-r', '--repeat', '3', '-t', '{T}', '-m', 'r'], sub: ['-C', '1', '-t', '{T}'] },
  { name: '-L URL sets host, port and topic', pub: ['-L', 'mqtt://127.0.0.1:{P}/{T}', '-r', '-m', 'url'], sub: ['-C', '1', '-v', '-L', 'mqtt://127.0.0.1:{P}/{T}'] },
  { name: '-A binds the local address', pub: ['-A', '127.0.0.1', '-r', '-t', '{T}', '-m', 'bound'], sub: ['-A', '127.0.0.1', '-C', '1', '-t', '{T}'] },
  { name: '--repeat-delay', pub: ['--repeat', '2', '--repeat-delay', '0.1', '-r', '-t', '{T}', '-m', 'rd'], sub: ['-C', '1', '-t', '{T}'] },
  { name: 'v5 -c -x session expiry with -i', pub: ['-V', '5', '-r', '-t', '{T}', '-m', 'x5'], sub: ['-V', '5', '-c', '-x', '60', '-i', 'diff-x-{I}', '-C', '1', '-t', '{T}'] },
  { name: 'user properties %P', pub: ['-r', '-D', 'publish', 'user-property', 'k1', 'v1', '-D', 'publish', 'user-property', 'k2', 'v2', '-t', '{T}', '-m', 'up'], sub: ['-V', '5', '-C', '1', '-F', '[%P] %p', '-t', '{T}'] },
  { name: '-k and will flags accepted', pub: ['-k', '30', '--will-topic', '{T}/will', '--will-payload', 'w', '--will-qos', '1', '-r', '-t', '{T}', '-m', 'k'], sub: ['-k', '5', '-C', '1', '-t', '{T}'] },
  // argument errors: same stderr (tool name normalised) and exit 1
  { name: 'bad QoS', pub: ['-t', 'a', '-m', 'x', '-q', '3'], stderr: true },
  { name: 'missing -t value', pub: ['-m', 'x', '-t'], stderr: true },
  { name: 'wildcard publish topic', pub: ['-t', 'a/#', '-m', 'x'], stderr: true },
  { name: 'unknown option', pub: ['-t', 'a', '-m', 'x', '--bogus'], stderr: true },
  { name: 'two payload modes', pub: ['-t', 'a', '-m', 'x', '-n'], stderr: true },
  { name: 'bad keepalive', pub: ['-t', 'a', '-m', 'x', '-k', '2'], stderr: true },
  { name: 'sub without topic', sub: [], stderr: true },
  { name: 'sub bad filter', sub: ['-t', 'a/#/b'], stderr: true },
  { name: 'sub -C 0', sub: ['-t', 'a', '-C', '0'], stderr: true },
  { name: 'sub -R with --retained-only', sub: ['-t', 'a', '-R', '--retained-only'], stderr: true },
  { name: 'pub -v is unknown', pub: ['-t', 'a', '-m', 'x', '-v'], stderr: true },
  { name: 'sub -m is unknown', sub: ['-t', 'a', '-m', 'x'], stderr: true },
  { name: 'pub bad protocol version', pub: ['-t', 'a', '-m', 'x', '-V', '3.1.1'], stderr: true },
  { name: 'will payload without will topic', pub: ['-t', 'a', '-m', 'x', '--will-payload', 'p'], stderr: true },
  { name: '-c without -i', sub: ['-t', 'a', '-c'], stderr: true },
]

let broker: RunningMosquitto

async function runPair(c: Case, ours: boolean, topic: string): Promise<{ pub?: CliResult; sub?: CliResult }> {
  const [pubBin, subBin] = ours ? ['tspub', 'tssub'] : ['mosquitto_pub', 'mosquitto_sub']
  const conn = ['-h', '127.0.0.1', '-p', String(broker.port)]
  const fill = (a: string[]) => a.map((x) => x.replaceAll('{T}', topic).replaceAll('{P}', String(broker.port)).replaceAll('{I}', ours ? 'ts' : 'mq'))
  const env = cleanEnv()
  const result: { pub?: CliResult; sub?: CliResult } = {}
  if (c.pub) {
    result.pub = await runCli(pubBin, c.stderr ? fill(c.pub) : [...conn, ...fill(c.pub)], {
      env, timeoutMs: 10_000, ...(c.pubStdin !== undefined ? { stdin: c.pubStdin } : {}),
    })
  }
  if (c.sub) result.sub = await runCli(subBin, c.stderr ? fill(c.sub) : [...conn, ...fill(c.sub)], { env, timeoutMs: 10_000 })
  return result
}

const normalise = (s: string) => s.replaceAll('mosquitto_pub', 'TOOL').replaceAll('mosquitto_sub', 'TOOL').replaceAll('tspub', 'TOOL').replaceAll('tssub', 'TOOL')

const cleanups: (() => unknown)[] = []
before(async () => {
  if (!skip) broker = await startMosquitto({ after: (fn) => cleanups.push(fn) })
})
after(async () => { for (const fn of cleanups) await fn() })

cases.forEach((c, i) => {
  test(`differential: ${c.name}`, { skip }, async () => {
    const topic = `diff/${process.pid}/${i}`
    const ref = await runPair(c, false, topic)
    const ours = await runPair(c, true, topic)
    for (const side of ['pub', 'sub'] as const) {
      const r = ref[side]
      const o = ours[side]
      if (!r || !o) continue
      assert.equal(o.timedOut, false, `${side} timed out`)
      assert.equal(o.code, r.code, `${side} exit code (stderr: ${o.stderr})`)
      assert.deepEqual(o.stdout, r.stdout, `${side} stdout bytes`)
      if (c.stderr) assert.equal(normalise(o.stderr), normalise(r.stderr), `${side} stderr`)
    }
  })
})
