// The JSON object tsbench --json prints, field by field, as docs/tsbench.md documents it (schema tsbench/1).
import assert from 'node:assert/strict'

export function assertBenchSchema(s: unknown): void {
  const o = s as Record<string, Record<string, unknown>>
  assert.equal(o.schema, 'tsbench/1')
  assert.equal(typeof o.broker, 'string')
  assert.ok([3, 4, 5].includes(o.protocolVersion as unknown as number))
  assert.deepEqual(Object.keys(o).sort(), ['broker', 'config', 'connectionsLost', 'latencyMs', 'messages', 'ok', 'protocolVersion', 'schema', 'seconds', 'throughput'])
  assert.ok(Number.isInteger(o.connectionsLost) && (o.connectionsLost as unknown as number) >= 0)
  assert.deepEqual(Object.keys(o.config!).sort(), ['count', 'duration', 'publishers', 'qos', 'ramp', 'rate', 'retain', 'size', 'subTopic', 'subscribers', 'topic', 'workers'])
  assert.deepEqual(Object.keys(o.messages!).sort(), ['duplicated', 'expected', 'failed', 'foreign', 'lost', 'received', 'sent', 'unique'])
  for (const v of Object.values(o.messages!)) assert.ok(Number.isInteger(v) && (v as number) >= 0)
  assert.deepEqual(Object.keys(o.throughput!).sort(), ['received', 'sent'])
  assert.deepEqual(Object.keys(o.latencyMs!).sort(), ['count', 'max', 'mean', 'min', 'p50', 'p95', 'p99'])
  for (const v of [...Object.values(o.throughput!), ...Object.values(o.latencyMs!), ...Object.values(o.seconds!)]) {
    assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= 0)
  }
  assert.deepEqual(Object.keys(o.seconds!).sort(), ['connect', 'publish', 'receive'])
  assert.equal(typeof o.ok, 'boolean')
}

