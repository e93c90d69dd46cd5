// C number parsing as mosquitto sees it (glibc atoi/atol/atof, strtol base 0 with an end check).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { atof, atoi, atol, strtolStrict } from '../../../src/cli/options/c-numbers.js'

describe('atoi / atol', () => {
  const cases: [string, number][] = [
    ['42', 42], ['28831x', 28831], ['abc', 0], ['', 0], ['  7', 7], ['\t-3', -3], ['+5', 5], ['- 5', 0],
    ['1e3', 1], ['0x10', 0], ['010', 10], ['3.9', 3],
  ]
  for (const [s, n] of cases) it(`atoi(${JSON.stringify(s)}) = ${n}`, () => assert.equal(atoi(s), n))
  it('atoi keeps the low 32 bits of the saturated long, like glibc', () => {
    assert.equal(atoi('4294967297'), 1)
    assert.equal(atoi('99999999999999999999'), -1)
  })
  it('atol is 64-bit', () => {
    assert.equal(atol('4294967296'), 4294967296)
    assert.equal(atol('-1'), -1)
    assert.equal(atol('junk'), 0)
  })
})

describe('atof', () => {
  const cases: [string, number][] = [['0.5', 0.5], ['1e2x', 100], ['abc', 0], ['  -2.5', -2.5], ['.25', 0.25], ['0x10', 16]]
  for (const [s, n] of cases) it(`atof(${JSON.stringify(s)}) = ${n}`, () => assert.equal(atof(s), n))
  it('inf / infinity / nan as C spells them', () => {
    assert.equal(atof('inf'), Infinity)
    assert.equal(atof('-Infinity'), -Infinity)
    assert.ok(Number.isNaN(atof('nan')))
  })
})

describe('strtol(s, &end, 0) with the whole string required', () => {
  const ok: [string, number][] = [['0', 0], ['60', 60], ['-1', -1], ['0x1F', 31], ['0X10', 16], ['017', 15], [' 5', 5], ['+3', 3]]
  for (const [s, n] of ok) it(`${JSON.stringify(s)} → ${n}`, () => assert.equal(strtolStrict(s), n))
  for (const s of ['', ' ', 'abc', '5 ', '12x', '08', '0x', '0xg', '1.5', '∞']) {
    it(`${JSON.stringify(s)} is not a number`, () => assert.equal(strtolStrict(s), undefined))
  }
})
