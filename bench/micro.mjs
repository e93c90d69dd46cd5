#!/usr/bin/env node
// Micro-benchmarks of the broker's hot parts, so a regression shows without the whole harness:
// the codec (encode/decode), the topic trie (match over 10,000 filters) and fan-out routing (one PUBLISH
// to 1,000 subscribers through Router and through the whole broker over in-memory streams).
// Usage: npm run build && node bench/micro.mjs [filter]   (one JSON line per case on stdout, then a table)
// Why tinybench: small, maintained, warm-up + statistics done right; nothing else in the package uses it.
import { duplexPair } from 'node:stream'
import { Bench } from 'tinybench'
import { createBroker } from '../build/src/broker/broker.js'
import { makeMessage } from '../build/src/broker/message.js'
import { Router } from '../build/src/broker/router.js'
import { BrokerSession } from '../build/src/broker/session.js'
import { Accounting } from '../build/src/broker/session-events.js'
import { newStats } from '../build/src/broker/stats.js'
import { TopicTrie } from '../build/src/broker/topic-trie.js'
import { createDecoder, encode } from '../build/src/codec/index.js'

const only = process.argv[2]
const bench = new Bench({ time: 500, warmupTime: 100 })
const add = (name, fn, opts) => { if (!only || name.includes(only)) bench.add(name, fn, opts) }

// ---- codec ------------------------------------------------------------------------------------------------
const small = { cmd: 'publish', topic: 'sensors/room1/temperature', payload: Buffer.alloc(64, 1), qos: 0, retain: false, dup: false }
const kilo = { ...small, payload: Buffer.alloc(1024, 1) }
const v5 = { ...small, qos: 1, messageId: 7, properties: { userProperties: { a: '1', b: '2' }, contentType: 'text/plain' } }
add('codec: encode QoS 0 PUBLISH, 64 B, v3.1.1', () => encode(small, 4))
add('codec: encode QoS 0 PUBLISH, 1 KB, v3.1.1', () => encode(kilo, 4))
add('codec: encode QoS 1 PUBLISH with properties, v5', () => encode(v5, 5))
add('codec: encode PUBACK, v5', () => encode({ cmd: 'puback', messageId: 9 }, 5))
const stream100 = Buffer.concat(Array.from({ length: 100 }, () => encode(small, 4)))
let decoded = 0
const decoder = createDecoder(4, () => { decoded++ }, (e) => { throw e })
add('codec: decode 100 QoS 0 PUBLISHes from one chunk, v3.1.1', () => { decoder.push(stream100) })
// the broker's decoder frames each packet and checks its bytes first (codec/packet-check.ts)
const connect4 = encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'b', clean: true, keepalive: 0 }, 4)
const strict4 = createDecoder(undefined, () => { decoded++ }, (e) => { throw e }, { strict: true })
strict4.push(connect4)
add('codec: decode 100 QoS 0 PUBLISHes from one chunk, v3.1.1, strict (broker)', () => { strict4.push(stream100) })
const stream100v5 = Buffer.concat(Array.from({ length: 100 }, () => encode(v5, 5)))
const strict5 = createDecoder(undefined, () => { decoded++ }, (e) => { throw e }, { strict: true })
strict5.push(encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'b', clean: true, keepalive: 0 }, 5))
const plain5 = createDecoder(5, () => { decoded++ }, (e) => { throw e })
add('codec: decode 100 QoS 1 PUBLISHes with properties, v5', () => { plain5.push(stream100v5) })
add('codec: decode 100 QoS 1 PUBLISHes with properties, v5, strict (broker)', () => { strict5.push(stream100v5) })

// ---- topic trie -------------------------------------------------------------------------------------------
const trie = new TopicTrie()
for (let i = 0; i < 10_000; i++) {
  const k = i % 4
  trie.add(k === 0 ? `site/${i}/+/temp` : k === 1 ? `site/${i}/#` : k === 2 ? `site/${i % 100}/dev/${i}` : `+/${i}/status`, i)
}
trie.add('#', -1)
const out = []
add('trie: match a topic over 10,000 filters', () => { out.length = 0; trie.match('site/42/dev/temp', out) })
add('trie: match a $SYS topic (first-level wildcards skipped)', () => { out.length = 0; trie.match('$SYS/broker/uptime', out) })
add('trie: add + remove a filter', () => { trie.add('a/b/c/+/e', 1); trie.remove('a/b/c/+/e', () => true) })

// ---- fan-out ------------------------------------------------------------------------------------------------
const stats = newStats(0)
const events = new Accounting(stats, () => false)
let delivered = 0
const router = new Router({ deliver: () => { delivered++; return true } })
for (let i = 0; i < 1000; i++) {
  const s = new BrokerSession(`s${i}`, events, 20, 1000)
  router.add({ session: s, filter: 'fan/+', topicFilter: 'fan/+', group: undefined, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0, id: undefined })
}
const fanMessage = makeMessage('fan/out', Buffer.alloc(64), 0, false, undefined, 0)
add('route: one message to 1,000 subscribers (Router only)', () => { router.route(fanMessage, undefined) })

const broker = createBroker()
const sinks = []
for (let i = 0; i < 1000; i++) {
  const [mine, theirs] = duplexPair()
  broker.handle(theirs)
  mine.on('data', () => {})
  mine.write(encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: `b${i}`, clean: true, keepalive: 0 }, 4))
  mine.write(encode({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'fan/+', qos: 0 }] }, 4))
  sinks.push(mine)
}
await new Promise((r) => setTimeout(r, 200))
add('broker: publish QoS 0 to 1,000 subscribers over in-memory streams', () => {
  broker.publish({ topic: 'fan/out', payload: fanMessage.payload })
}, { afterEach: () => new Promise((r) => setImmediate(r)) })

await bench.run()
const rows = bench.tasks.map((t) => ({ name: t.name, ops: Math.round(t.result.throughput?.mean ?? t.result.hz), meanNs: Math.round((t.result.latency?.mean ?? t.result.mean) * 1e6), samples: t.result.latency?.samples?.length ?? t.result.samples?.length }))
for (const r of rows) console.log(JSON.stringify(r))
console.table(rows.map((r) => ({ case: r.name, 'ops/s': r.ops.toLocaleString('en'), 'mean ns': r.meanNs.toLocaleString('en') })))
await broker.close()
void decoded
void delivered
