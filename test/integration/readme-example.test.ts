// The README's in-process example, compiled and run, so the documented API cannot drift.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createBroker, connect, ConnackRefusedError } from '../../src/index.js'
import { haveOpenssl, makeCerts } from '../helpers/certs.js'

test('README: an in-process broker with TCP, WebSocket and TLS listeners, an authenticate hook, and the client', { skip: haveOpenssl ? false : 'openssl not installed' }, async () => {
  const dir = makeCerts()
  const certPem = readFileSync(join(dir, 'server.crt'))
  const keyPem = readFileSync(join(dir, 'server.key'))
  const received: string[] = []
  const console = { log: (topic: string, payload: string) => received.push(`${topic} ${payload}`) }
  // --- README example starts
  const broker = createBroker({
    hooks: { authenticate: (c) => (c.username === 'me' ? { ok: true } : { ok: false, reasonCode: 135 }) },
  })
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })   // or broker.handle(duplex), no socket
  const ws = await broker.listen({ type: 'ws', port: 0, host: '127.0.0.1' })   // MQTT over WebSocket, any path
  const secure = await broker.listen({ type: 'tls', port: 0, host: '127.0.0.1', tls: { cert: certPem, key: keyPem } })
  const client = await connect(`ws://me@127.0.0.1:${ws.port}/mqtt`, { protocolVersion: 5, clientId: 'me' })
  client.onMessage = (m) => console.log(m.topic, m.payload.toString())
  await client.subscribe([{ topic: 'greetings/#', qos: 1 }])
  await client.publish('greetings/world', 'hello', { qos: 1 })   // resolves after the PUBACK
  // --- README example ends (then: await client.disconnect(); await broker.close())
  try {
    const deadline = Date.now() + 2000
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(received, ['greetings/world hello'])
    const overTls = await connect(`mqtts://me@127.0.0.1:${secure.port}`, { tls: { ca: readFileSync(join(dir, 'ca.crt')) } })
    await overTls.disconnect()
    await assert.rejects(
      connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, clientId: 'x', username: 'intruder' }),
      (e: unknown) => e instanceof ConnackRefusedError && e.reasonCode === 135,
    )
  } finally {
    await client.disconnect()
    await broker.close()
  }
})

test('README: the example in the README is the one run above, line for line', () => {
  const root = new URL('../../../', import.meta.url)
  const source = readFileSync(new URL('test/integration/readme-example.test.ts', root), 'utf8')
  const example = source.split('// --- README example starts\n')[1]!.split('  // --- README example ends')[0]!
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  for (const line of example.split('\n').map((l) => l.trim()).filter(Boolean)) assert.ok(readme.includes(line), `README lacks: ${line}`)
})
