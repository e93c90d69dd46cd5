// Two tsbrokers, A bridged to B (in-process, loopback): no loops either way, mosquitto's prefixes, QoS
// downgrade on each side's subscription, retain flags. Absence is proven with a marker message sent after,
// along the same connections an unwanted copy would take: it arrives first if it exists. Nothing sleeps.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { client } from '../../helpers/broker-start.js'
import { bridged, firstAfterRetainedCrossing, stateIs, subscriber } from '../../helpers/bridges.js'

const texts = async (inbox: { next(ms?: number): Promise<{ payload: Buffer }> }, n: number) => {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push((await inbox.next()).payload.toString())
  return out
}

for (const [label, extra] of [['MQTT 3.1.1 with try_private', {}], ['MQTT 5 (no-local)', { protocolVersion: 5 as const }]] as const) {
  test(`bridged both ways (${label}): each message crosses once and never comes back`, async (t) => {
    const { a, b } = await bridged(t, extra)
    await stateIs(t, a.url, '1')
    const onA = await subscriber(t, a.url, '#')
    const onB = await subscriber(t, b.url, '#')
    const pubA = await client(t, a.url)
    const pubB = await client(t, b.url)
    await pubA.publishAsync('x/a', 'from A', { qos: 1 })
    assert.deepEqual(await texts(onB, 1), ['from A'])
    await pubB.publishAsync('x/b', 'from B', { qos: 1 })
    // an echo of "from A" would reach A along B → bridge → A before "from B" does
    assert.deepEqual(await texts(onA, 2), ['from A', 'from B'])
    await pubA.publishAsync('x/end', 'end', { qos: 1 })
    // an echo of "from B" would reach B along A → bridge → B before "end" does
    assert.deepEqual(await texts(onB, 2), ['from B', 'end'])
  })
}

test('prefixes as mosquitto applies them: "" for none, the remote prefix put on going out and taken off coming in', async (t) => {
  const { a, b } = await bridged(t, {
    topics: [
      { pattern: 'sensors/#', direction: 'out', qos: 1, localPrefix: '', remotePrefix: 'site1/' },
      { pattern: 'cmd/#', direction: 'in', qos: 1, localPrefix: 'from-cloud/', remotePrefix: 'site1/' },
      { pattern: '', direction: 'both', qos: 1, localPrefix: 'here/state', remotePrefix: 'site1/state' },
    ],
  })
  await stateIs(t, a.url, '1')
  const onB = await subscriber(t, b.url, 'site1/#')
  const pubA = await client(t, a.url)
  const pubB = await client(t, b.url)
  await pubA.publishAsync('sensors/t1', '21.5', { qos: 1 })
  await pubA.publishAsync('here/state', 'ok', { qos: 1 })
  await pubA.publishAsync('other/x', 'not bridged', { qos: 1 })
  await pubA.publishAsync('sensors/t2', '22', { qos: 1 })
  const gotB = [await onB.next(), await onB.next(), await onB.next()].map((m) => `${m.topic} ${m.payload}`)
  assert.deepEqual(gotB, ['site1/sensors/t1 21.5', 'site1/state ok', 'site1/sensors/t2 22'])
  const onA = await subscriber(t, a.url, ['from-cloud/#', 'site1/#', 'sensors/#', 'here/#'])
  await pubB.publishAsync('site1/sensors/t9', 'out only: stays on B', { qos: 1 })
  await pubB.publishAsync('site1/cmd/reboot', 'now', { qos: 1 })
  await pubB.publishAsync('site1/state', 'remote says', { qos: 1 })
  const gotA = [await onA.next(), await onA.next()].map((m) => `${m.topic} ${m.payload}`)
  assert.deepEqual(gotA, ['from-cloud/cmd/reboot now', 'here/state remote says'])
})

test('QoS is downgraded to the bridged topic\'s QoS on the side a message comes from, never upgraded', async (t) => {
  const { a, b } = await bridged(t, {
    topics: [{ pattern: 'q0/#', direction: 'out', qos: 0 }, { pattern: 'q1/#', direction: 'in', qos: 1 }, { pattern: 'q2/#', direction: 'out', qos: 2 }],
  })
  await stateIs(t, a.url, '1')
  const onA = await subscriber(t, a.url, 'q1/#', 2)
  const onB = await subscriber(t, b.url, ['q0/#', 'q2/#'], 2)
  const pubA = await client(t, a.url)
  const pubB = await client(t, b.url)
  await pubA.publishAsync('q0/x', 'two→zero', { qos: 2 })
  await pubA.publishAsync('q2/x', 'one stays one', { qos: 1 })
  await pubA.publishAsync('q2/y', 'two stays two', { qos: 2 })
  assert.deepEqual([await onB.next(), await onB.next(), await onB.next()].map((m) => [m.payload.toString(), m.packet.qos]),
    [['two→zero', 0], ['one stays one', 1], ['two stays two', 2]])
  await pubB.publishAsync('q1/x', 'two→one', { qos: 2 })
  const m = await onA.next()
  assert.deepEqual([m.payload.toString(), m.packet.qos], ['two→one', 1])
})

test('retained messages stay retained both ways: this broker\'s side is retain-as-published, the remote treats the bridge as one', async (t) => {
  const { a, b } = await bridged(t, { topics: [{ pattern: 'r/#', direction: 'both', qos: 1 }] })
  await stateIs(t, a.url, '1')
  const liveB = await subscriber(t, b.url, 'r/a')
  const liveA = await subscriber(t, a.url, 'r/b')
  await (await client(t, a.url)).publishAsync('r/a', 'kept on B', { qos: 1, retain: true })
  await liveB.next()
  await (await client(t, b.url)).publishAsync('r/b', 'kept on A', { qos: 1, retain: true })
  await liveA.next()
  const laterB = await subscriber(t, b.url, 'r/a')
  const laterA = await subscriber(t, a.url, 'r/b')
  const [onB, onA] = [await laterB.next(), await laterA.next()]
  assert.deepEqual([onB.payload.toString(), onB.packet.retain], ['kept on B', true])
  assert.deepEqual([onA.payload.toString(), onA.packet.retain], ['kept on A', true])
})

test('without try_private a 3.1.1 remote sends live messages with retain 0, so they are not retained here (mosquitto\'s caveat)', async (t) => {
  const { a, b } = await bridged(t, { tryPrivate: false, topics: [{ pattern: 'r/#', direction: 'in', qos: 1 }] })
  await stateIs(t, a.url, '1')
  assert.equal(await firstAfterRetainedCrossing(t, b.url, a.url, 'r'), 'r/marker', 'nothing retained came before the marker')
})

test('the remote session survives the bridge: its retained messages of in topics arrive on each (re)subscribe', async (t) => {
  const { a, b } = await bridged(t, { topics: [{ pattern: 'cfg/#', direction: 'in', qos: 1 }] })
  await (await client(t, b.url)).publishAsync('cfg/site', 'v1', { qos: 1, retain: true })
  await stateIs(t, a.url, '1')
  const onA = await subscriber(t, a.url, 'cfg/#')
  const m = await onA.next()
  assert.deepEqual([m.topic, m.payload.toString(), m.packet.retain], ['cfg/site', 'v1', true])
})
