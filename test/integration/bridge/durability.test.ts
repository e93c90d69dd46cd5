// QoS 1/2 through a bridge is acknowledged to the side it came from only once the other side has taken it,
// and with persistence only once that is on disk (here: for a persistent subscriber that is offline; one online
// that has acknowledged it already holds nothing to keep): the store's appends are held (TestStoreIo) and the
// acknowledgement must wait for them. Both brokers are in-process tsbrokers; B's log shows what the bridge sends it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { client, until } from '../../helpers/broker-start.js'
import { bridged, stateIs, subscriber } from '../../helpers/bridges.js'
import { settle } from '../../helpers/memory-peer.js'
import { TestStoreIo } from '../../helpers/store-io.js'

function store(t: TestContext): { file: string; io: TestStoreIo } {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-bridge-store-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return { file: join(dir, 'tsbroker.db'), io: new TestStoreIo() }
}
/** A persistent session subscribed to `filter` whose client is gone: what it is sent waits for it, on disk. */
async function away(t: TestContext, url: string, filter: string): Promise<void> {
  const c = await client(t, url, { clientId: 'away', clean: false })
  await c.subscribeAsync(filter, { qos: 1 })
  await c.endAsync()
}
const count = (logs: [unknown, string][], prefix: string) => logs.filter(([, l]) => l.startsWith(prefix)).length

for (const qos of [1, 2] as const) {
  test(`in, QoS ${qos}: the remote gets its ${qos === 1 ? 'PUBACK' : 'PUBREC'} only once this broker has the message on disk`, async (t) => {
    const s = store(t)
    const { a, b } = await bridged(t, { topics: [{ pattern: 'in/#', direction: 'in', qos }] }, { a: { persistence: { file: s.file, io: s.io } } })
    await stateIs(t, a.url, '1')
    const onA = await subscriber(t, a.url, 'in/#', qos, { clientId: 'keeper', clean: false })
    await away(t, a.url, 'in/#') // a session A must keep on disk
    const ack = qos === 1 ? 'Received PUBACK from edge' : 'Received PUBREC from edge'
    const before = count(b.logs, ack)
    const release = s.io.hold()
    const appending = s.io.nextAppend()
    await (await client(t, b.url)).publishAsync('in/x', 'kept', { qos })
    await appending // A is writing it
    await settle()
    assert.equal(count(b.logs, ack), before, 'not acknowledged to the remote before the write')
    release()
    await until(() => count(b.logs, ack) === before + 1, 5000, 'the acknowledgement after the write')
    assert.equal((await onA.next()).payload.toString(), 'kept')
  })
}

test('out: this broker keeps the message for the bridge (unacknowledged) until the remote has it on disk', async (t) => {
  const s = store(t)
  const { a, b } = await bridged(t, { topics: [{ pattern: 'out/#', direction: 'out', qos: 1 }] }, { b: { persistence: { file: s.file, io: s.io } } })
  await stateIs(t, a.url, '1')
  const onB = await subscriber(t, b.url, 'out/#', 1, { clientId: 'keeper', clean: false })
  await away(t, b.url, 'out/#') // a session B must keep on disk
  const acked = 'Received PUBACK from local.edge'
  const before = count(a.logs, acked)
  const release = s.io.hold()
  const appending = s.io.nextAppend()
  await (await client(t, a.url)).publishAsync('out/x', 'kept', { qos: 1 })
  await appending // B is writing it
  await settle()
  assert.equal(count(a.logs, acked), before, 'the bridge has not acknowledged it here yet')
  release()
  await until(() => count(a.logs, acked) === before + 1, 5000, 'the local acknowledgement after the remote\'s')
  assert.equal((await onB.next()).payload.toString(), 'kept')
})
