// mosquitto_pub / mosquitto_sub against tsbroker (in-process): they must not notice it is not mosquitto.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Broker } from '../../src/broker/broker.js'
import { startBroker, until } from '../helpers/broker-start.js'
import { runTool } from '../helpers/broker-tools.js'
import { mosquittoMissing } from '../helpers/mosquitto.js'

const skip = mosquittoMissing()

/** mosquitto_sub buffers its stdout when piped, so "subscribed" is read from the broker's side. */
function subscribed(broker: Broker, n: number): Promise<void> {
  return until(() => broker.stats.subscriptionsCount >= n, 5000, `${n} subscription(s)`)
}
const host = ['-h', '127.0.0.1']

for (const version of ['mqttv311', 'mqttv5']) {
  for (const qos of ['0', '1', '2']) {
    test(`${version}: mosquitto_pub → tsbroker → mosquitto_sub at QoS ${qos}`, { skip }, async (t) => {
      const { port, broker } = await startBroker(t)
      const p = ['-p', String(port), '-V', version]
      const sub = runTool(t, 'mosquitto_sub', [...host, ...p, '-v', '-C', '1', '-q', qos, '-t', 'interop/#'])
      await subscribed(broker, 1)
      const pub = runTool(t, 'mosquitto_pub', [...host, ...p, '-q', qos, '-t', 'interop/q', '-m', `hello ${qos}`])
      assert.equal(await pub.exited, 0)
      assert.equal(await sub.exited, 0)
      assert.ok(sub.stdout().includes(`interop/q hello ${qos}\n`), sub.stdout())
    })
  }
}

test('retained: set by mosquitto_pub -r, seen by a later mosquitto_sub with the retain flag, cleared by -n', { skip }, async (t) => {
  const { port, broker } = await startBroker(t)
  const p = ['-p', String(port)]
  assert.equal(await runTool(t, 'mosquitto_pub', [...host, ...p, '-r', '-q', '1', '-t', 'ret/a', '-m', 'kept']).exited, 0)
  const sub = runTool(t, 'mosquitto_sub', [...host, ...p, '-C', '1', '-F', '%r %t %p', '-t', 'ret/#'])
  assert.equal(await sub.exited, 0)
  assert.equal(sub.stdout(), '1 ret/a kept\n')
  assert.equal(await runTool(t, 'mosquitto_pub', [...host, ...p, '-r', '-q', '1', '-t', 'ret/a', '-n']).exited, 0)
  assert.equal(broker.stats.retainedCount, 0)
})

test('will: a mosquitto_sub killed with SIGKILL has its will published', { skip }, async (t) => {
  const { port, broker } = await startBroker(t)
  const p = ['-p', String(port)]
  const watcher = runTool(t, 'mosquitto_sub', [...host, ...p, '-v', '-C', '1', '-t', 'wills/#'])
  await subscribed(broker, 1)
  const victim = runTool(t, 'mosquitto_sub', [...host, ...p, '-t', 'x', '--will-topic', 'wills/victim', '--will-payload', 'bye', '--will-qos', '1'])
  await subscribed(broker, 2)
  victim.kill('SIGKILL')
  assert.equal(await watcher.exited, 0)
  assert.ok(watcher.stdout().includes('wills/victim bye\n'), watcher.stdout())
})

test('persistent session: mosquitto_sub -c -i id gets what was published while it was away', { skip }, async (t) => {
  const { port, broker } = await startBroker(t)
  const p = ['-p', String(port)]
  const first = runTool(t, 'mosquitto_sub', [...host, ...p, '-c', '-i', 'durable-sub', '-q', '1', '-t', 'away/#'])
  await subscribed(broker, 1)
  first.kill('SIGTERM')
  await first.exited
  await until(() => broker.stats.clientsConnected === 0)
  assert.equal(await runTool(t, 'mosquitto_pub', [...host, ...p, '-q', '1', '-t', 'away/1', '-m', 'queued']).exited, 0)
  const second = runTool(t, 'mosquitto_sub', [...host, ...p, '-c', '-i', 'durable-sub', '-q', '1', '-t', 'away/#', '-C', '1', '-v'])
  assert.equal(await second.exited, 0)
  assert.equal(second.stdout(), 'away/1 queued\n')
})

test('mosquitto_pub with an empty client id gets an auto- id (v5 assigned client identifier)', { skip }, async (t) => {
  const { port, logs } = await startBroker(t)
  const pub = runTool(t, 'mosquitto_pub', [...host, '-p', String(port), '-V', 'mqttv5', '-d', '-t', 'a', '-m', 'b'])
  assert.equal(await pub.exited, 0)
  assert.ok(logs.some(([, l]) => / as auto-[0-9A-F-]{36} \(p5, c1, k60\)\.$/.test(l)), JSON.stringify(logs))
})
