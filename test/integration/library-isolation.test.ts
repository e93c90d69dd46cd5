// Importing tsmqtt as a library changes nothing for the other packages of the process: MQTT.js keeps its
// `debug` loggers and mqtt-packet its `bl` and number-cache setting. Each case runs in a fresh Node process
// (require.cache and mqtt-packet's settings are process-wide), importing the package by its name.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { repoRoot } from '../helpers/run-cli.js'

/**
 * Lines every script starts with: how MQTT.js and mqtt-packet resolve their dependencies. Nothing is loaded
 * here (only resolved), so each script imports tsmqtt before any other package is in require.cache.
 */
const PRELUDE = `
import { createRequire } from 'node:module'
const fromMqtt = createRequire(import.meta.resolve('mqtt'))
const fromUs = createRequire(import.meta.resolve('tsmqtt'))
const fromPacket = createRequire(fromUs.resolve('mqtt-packet'))
const packet = () => fromUs('mqtt-packet')
const tableBuilt = () => fromPacket('./numbers.js').cache[0] !== undefined
const out = (o) => process.stdout.write(JSON.stringify(o))
`

/** A broker on port 0, one MQTT 5 client of ours that connects, publishes at QoS 1 and disconnects. */
const TRAFFIC = `
async function traffic(tsmqtt, brokerOptions) {
  const broker = tsmqtt.createBroker(brokerOptions)
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const c = await tsmqtt.connect(\`mqtt://127.0.0.1:\${port}\`, { protocolVersion: 5, clientId: 'iso', clean: true, keepalive: 60 })
  await c.publish('iso/t', Buffer.from('x'), { qos: 1 })
  await c.disconnect()
  await broker.close()
}
`

function runScript(body: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const script = PRELUDE + TRAFFIC + body
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 15_000,
    }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`))
      resolve(JSON.parse(stdout) as Record<string, unknown>)
    })
  })
}

test('with DEBUG=*, MQTT.js\'s debug loggers stay enabled after importing tsmqtt', async () => {
  const r = await runScript(`
    await import('tsmqtt')
    const debug = fromMqtt('debug')
    out({ client: debug('mqttjs:client').enabled, packet: fromPacket('debug')('mqtt-packet:parser').enabled })
  `, { DEBUG: '*' })
  assert.deepEqual(r, { client: true, packet: true })
})

test('importing tsmqtt leaves mqtt-packet\'s `bl` the full module (BufferListStream included)', async () => {
  const r = await runScript(`
    await import('tsmqtt')
    out({ stream: typeof fromPacket('bl').BufferListStream })
  `)
  assert.deepEqual(r, { stream: 'function' })
})

test('createBroker and its clients leave mqtt-packet\'s cacheNumbers as the application set it', async () => {
  const r = await runScript(`
    const tsmqtt = await import('tsmqtt')
    const seen = [packet().writeToStream.cacheNumbers]
    await traffic(tsmqtt, {})
    seen.push(packet().writeToStream.cacheNumbers)
    packet().writeToStream.cacheNumbers = false
    await traffic(tsmqtt, {})
    seen.push(packet().writeToStream.cacheNumbers)
    out({ seen })
  `)
  assert.deepEqual(r, { seen: [true, true, false] })
})

test('numberCache is per broker: the default (false) never builds mqtt-packet\'s number table, true does', async () => {
  const r = await runScript(`
    const tsmqtt = await import('tsmqtt')
    await traffic(tsmqtt, {})
    const afterDefault = tableBuilt()
    await traffic(tsmqtt, { numberCache: true })
    out({ afterDefault, afterOn: tableBuilt() })
  `)
  assert.deepEqual(r, { afterDefault: false, afterOn: true })
})
