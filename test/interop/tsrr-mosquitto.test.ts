// tsrr next to the real mosquitto_rr 2.0: same responder, same arguments, same stdout, stderr and exit code.
// The responder does not echo Correlation-Data, so tsrr's extra Correlation-Data (ours) cannot show in output,
// and it sends user properties only where %j is not used (2.0 prints them as an object, we as an array).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import mqtt from 'mqtt'
import { freePort, mosquittoMissing, startMosquitto } from '../helpers/mosquitto.js'
import { runCli } from '../helpers/run-cli.js'

async function setup(t: TestContext): Promise<number | undefined> {
  const skip = mosquittoMissing()
  if (skip) { t.skip(skip); return undefined }
  const { port } = await startMosquitto(t)
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0 })
  t.after(() => c.endAsync())
  c.on('message', (topic, payload, packet) => {
    const to = packet.properties?.responseTopic ?? 'v3/resp'
    c.publish(to, Buffer.concat([Buffer.from(`re(${topic}):`), payload]), { qos: 1, properties: { contentType: 'text/plain', ...(topic === 'req/4' ? { userProperties: { k: 'v' } } : {}) } })
  })
  await c.subscribeAsync('req/#', { qos: 1 })
  return port
}

const mask = (s: string) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z?[+-]\d{4}/g, '<TS>').replace(/mosquitto_rr|tsrr/g, '<RR>')

async function both(port: number, args: string[]) {
  const full = ['-h', '127.0.0.1', '-p', String(port), ...args]
  const [theirs, ours] = await Promise.all([runCli('mosquitto_rr', full), runCli('tsrr', full)])
  return { theirs, ours }
}

test('tsrr prints what mosquitto_rr prints', async (t) => {
  const port = await setup(t)
  if (!port) return
  const cases: string[][] = [
    ['-t', 'req/1', '-e', 'resp/1', '-m', 'hello'],
    ['-t', 'req/2', '-e', 'resp/2', '-m', 'hello', '-v', '-q', '1'],
    ['-t', 'req/3', '-e', 'resp/3', '-m', 'hello', '-N', '-q', '2'],
    ['-t', 'req/4', '-e', 'resp/4', '-m', 'hi', '-F', '%t|%p|%q|%r|%l|%C|%P|%x'],
    ['-t', 'req/5', '-e', 'resp/5', '-m', 'hi', '-q', '1', '-F', '%j'],
    ['-t', 'req/6', '-e', 'resp/6', '-m', '{"a":[1,2]}', '-q', '1', '-F', '%J', '--pretty'],
    ['-t', 'req/7', '-e', 'resp/7', '-n', '-v'],
    ['-t', 'req/8', '-e', 'v3/resp', '-m', 'old', '-V', '311', '-v'],
    ['-t', 'nobody/9', '-e', 'resp/9', '-m', 'x', '-W', '1'],
    ['-t', 'req/10', '-e', 'resp/#', '-m', 'x'],
    ['-t', 'req/11', '-m', 'x'],
    ['-t', 'req/12', '-e', 'resp/12', '-m', 'x', '-F', '%Q'],
  ]
  for (const args of cases) {
    const { theirs, ours } = await both(port, args)
    const name = args.join(' ')
    assert.equal(ours.code, theirs.code, `exit code for ${name}: ${ours.stderr}`)
    assert.equal(mask(ours.stdout.toString('latin1')), mask(theirs.stdout.toString('latin1')), `stdout for ${name}`)
    assert.equal(mask(ours.stderr), mask(theirs.stderr), `stderr for ${name}`)
  }
})

test('connection refused: same line, same exit code', async (t) => {
  if (mosquittoMissing()) return t.skip('mosquitto not installed')
  const port = await freePort()
  const { theirs, ours } = await both(port, ['-t', 'req/x', '-e', 'resp/x', '-m', 'x'])
  assert.equal(ours.code, theirs.code)
  assert.equal(ours.stderr, theirs.stderr)
})
