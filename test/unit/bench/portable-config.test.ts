// The config a tsbench worker thread gets: after a structured clone (what workerData does) its Buffers are
// Buffers again and its v5 property orders are back [MQTT-3.3.2-18] (v5), so a binary -D property no longer
// crashes the encoder (`list[i].copy is not a function`) and user properties keep the order given.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { portableConfig, revivedConfig } from '../../../src/cli/bench/portable-config.js'
import { propertyOrder } from '../../../src/codec/index.js'
import { parseArgs } from '../../../src/cli/options/index.js'
import type { ClientConfig } from '../../../src/cli/options/types.js'

function config(argv: string[]): ClientConfig {
  const r = parseArgs('bench', argv, {}, () => undefined, 1)
  if (r.kind !== 'run') throw new Error(`not a run: ${r.kind}`)
  return r.config
}

describe('portableConfig / revivedConfig (tsbench --workers)', () => {
  const c = config(['-V', '5', '--workers', '2', '-D', 'connect', 'authentication-method', 'x', '-D', 'connect', 'authentication-data', 'y',
    '-D', 'publish', 'user-property', 'a', '1', '-D', 'publish', 'correlation-data', 'cd', '-D', 'publish', 'user-property', 'a', '2',
    '-D', 'connect', 'user-property', 'c', '1', '-D', 'connect', 'user-property', 'c', '2'])

  it('a plain structured clone loses both (the defect)', () => {
    const cloned = structuredClone(c)
    assert.equal(Buffer.isBuffer(cloned.properties.connect?.authenticationData), false)
    assert.equal(propertyOrder(cloned.properties.publish), undefined)
  })
  it('revived: Buffers where there were Buffers, the same values, the same property orders', () => {
    const back = revivedConfig(structuredClone(portableConfig(c)))
    assert.deepEqual(back, c)
    assert.ok(Buffer.isBuffer(back.properties.connect?.authenticationData))
    assert.ok(Buffer.isBuffer(back.properties.publish?.correlationData))
    assert.deepEqual(propertyOrder(back.properties.publish), [['a', '1'], 'correlationData', ['a', '2']])
    assert.notEqual(propertyOrder(c.properties.connect), undefined)
    assert.deepEqual(propertyOrder(back.properties.connect), propertyOrder(c.properties.connect))
  })
})
