// tsbench when the broker goes away mid-run: the publishers stop at once (no loop of publishes that fail
// at once until the end time), failed publishes are neither sent nor expected, the summary says the
// connections were lost, and the exit code is 1, a network failure (man/tsbench.1, EXIT STATUS).
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { describe, it } from 'node:test'
import { connect } from '../../src/client/client.js'
import { runCli, type CliResult } from '../helpers/run-cli.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'
import { assertBenchSchema } from '../helpers/bench-schema.js'

/** Run tsbench for up to 30 s of publishing; SIGKILL the broker once 1000 benchmark messages went through. */
async function benchUntilBrokerDies(t: TestContext, argv: string[]): Promise<CliResult> {
  const b = await spawnTsbroker(t, ['-p', '0'])
  const watcher = await connect({ transport: 'tcp', host: '127.0.0.1', port: b.port, path: '' }, { clientId: 'watcher' })
  t.after(() => watcher.destroy())
  let seen = 0
  const first = new Promise<void>((resolve) => { watcher.onMessage = () => { if (++seen === 1000) resolve() } })
  await watcher.subscribe([{ topic: 'tsbench/#', qos: 0 }])
  const run = runCli('tsbench', ['-h', '127.0.0.1', '-p', String(b.port), '--duration', '30', ...argv], { timeoutMs: 20_000 })
  let timer: NodeJS.Timeout | undefined
  await Promise.race([first, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${seen} benchmark messages within 10 s`)), 10_000) })])
  clearTimeout(timer)
  b.child.kill('SIGKILL')
  const r = await run
  assert.equal(r.timedOut, false, 'tsbench ended soon after the broker died, not at the end of --duration')
  return r
}

describe('tsbench when the broker goes away mid-run', () => {
  it('QoS 0, two workers: publishers stop at the loss, at most a window failed, exit 1 after the summary', async (t) => {
    const r = await benchUntilBrokerDies(t, ['--json', '-q', '0', '--workers', '2', '-c', '2', '-S', '2'])
    assert.equal(r.code, 1, r.stderr)
    const s = JSON.parse(r.stdout.toString())
    assertBenchSchema(s)
    // Every connection closed; those still looking open when the run ended are not counted (a race).
    assert.ok(s.connectionsLost >= 1 && s.connectionsLost <= 4, `connectionsLost ${s.connectionsLost}`)
    assert.equal(s.ok, false)
    const m = s.messages
    // Only the publishes open when the connection closed fail: 512 unflushed QoS 0 writes per publisher.
    assert.ok(m.failed <= 2 * 512, `failed ${m.failed}`)
    assert.equal(m.expected, 2 * m.sent, 'each subscriber expects every message sent, not the failed ones')
    assert.ok(s.seconds.publish < 25, `publishing stopped at the loss (${s.seconds.publish} s)`)
  })
  it('QoS 1, text summary: FAILED: connection lost, failed publishes not counted as sent', async (t) => {
    const r = await benchUntilBrokerDies(t, ['-q', '1', '-c', '2', '-S', '2'])
    assert.equal(r.code, 1, r.stderr)
    const text = r.stdout.toString()
    assert.match(text, /\nFAILED: connection lost: [1-4] of 4 connections closed during the run\n/)
    const sent = /\nsent {8}(\d+) in [\d.]+ s, \d+ msg\/s(?: \((\d+) failed\))?\n/.exec(text)
    assert.ok(sent, text)
    assert.ok(Number(sent[2] ?? 0) <= 2 * 20, `at most -M 20 in flight per publisher failed: ${text}`)
    assert.match(text, new RegExp(`\\nreceived {4}\\d+ of ${2 * Number(sent[1])} expected in `))
  })
})
