// The README's in-process example, compiled and run, so the documented API cannot drift.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createBroker, connect, ConnackRefusedError } from '../../src/index.js'

test('README: an in-process broker with an authenticate hook, and the client', async () => {
  // --- README example starts
  const broker = createBroker({
    hooks: { authenticate: (c) => (c.username === 'me' ? { ok: true } : { ok: false, reasonCode: 135 }) },
  })
  const { port } = await broker.listen({ port: 0, host: '127.0.0.1' })
  const client = await connect(`mqtt://me@127.0.0.1:${port}`, { protocolVersion: 5, clientId: 'me' })
  const received: string[] = []
  client.onMessage = (m) => received.push(`${m.topic} ${m.payload.toString()}`)
  await client.subscribe([{ topic: 'greetings/#', qos: 1 }])
  await client.publish('greetings/world', Buffer.from('hello'), { qos: 1 })
  // --- README example ends (then: await client.disconnect(); await broker.close())
  try {
    const deadline = Date.now() + 2000
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(received, ['greetings/world hello'])
    await assert.rejects(
      connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, clientId: 'x', username: 'intruder' }),
      (e: unknown) => e instanceof ConnackRefusedError && e.reasonCode === 135,
    )
  } finally {
    await client.disconnect()
    await broker.close()
  }
})
