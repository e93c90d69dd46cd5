// `protocol websockets` listeners: MQTT.js over ws:// reaches clients on a plain MQTT listener, both ways.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { freePort } from '../helpers/mosquitto.js'
import { spawnTsbroker } from '../helpers/tsbroker.js'

test('a websockets listener carries MQTT 3.1.1 and 5 to and from a plain TCP listener', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-ws-'))
  const [tcpPort, wsPort] = [await freePort(), await freePort()]
  const conf = join(dir, 'ws.conf')
  writeFileSync(conf, [
    `listener ${tcpPort} 127.0.0.1`, `listener ${wsPort} 127.0.0.1`, 'protocol websockets', 'allow_anonymous true',
  ].join('\n') + '\n')
  const b = await spawnTsbroker(t, ['-c', conf], { listeners: 2 })
  assert.deepEqual(b.addresses, [`127.0.0.1:${tcpPort}`, `127.0.0.1:${wsPort}`])
  for (const protocolVersion of [4, 5] as const) {
    const ws = await mqtt.connectAsync(`ws://127.0.0.1:${wsPort}`, { protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 })
    const tcp = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 })
    try {
      const got = new Promise<string[]>((resolve) => {
        const seen: string[] = []
        const onMessage = (from: string) => (topic: string, payload: Buffer) => {
          seen.push(`${from} ${topic} ${payload.toString()}`)
          if (seen.length === 2) resolve(seen.sort())
        }
        ws.on('message', onMessage('ws'))
        tcp.on('message', onMessage('tcp'))
      })
      await ws.subscribeAsync('to/ws', { qos: 1 })
      await tcp.subscribeAsync('to/tcp', { qos: 1 })
      await tcp.publishAsync('to/ws', Buffer.alloc(70_000, 'x').toString(), { qos: 1 }) // larger than one frame chunk
      await ws.publishAsync('to/tcp', 'hello over ws', { qos: 2 })
      const seen = await got
      assert.equal(seen[0], 'tcp to/tcp hello over ws')
      assert.equal(seen[1], `ws to/ws ${'x'.repeat(70_000)}`)
    } finally {
      await ws.endAsync()
      await tcp.endAsync()
    }
  }
})
