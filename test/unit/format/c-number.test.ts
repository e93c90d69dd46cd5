// glibc printf conversions; expected strings were produced by glibc 2.36's printf.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cFixed, cGeneral, cInt } from '../../../src/cli/format/c-number.js'

const none = { width: 0, left: false, zero: false }

test('%f rounds the exact binary value half to even', () => {
  const cases: Array<[number, number, string]> = [
    [0.5, 0, '0'], [1.5, 0, '2'], [2.5, 0, '2'], [-0, 0, '-0'], [-0, -1, '-0.000000'], [0.1, -1, '0.100000'],
    [1e21, -1, '1000000000000000000000.000000'], [123456789012344.5, 0, '123456789012344'],
    [3.14159265358979, 2, '3.14'], [1e-7, -1, '0.000000'], [9.995, 2, '9.99'], [9.995, 1, '10.0'],
    [123456789012345678, -1, '123456789012345680.000000'], [0.000123456, -1, '0.000123'],
  ]
  for (const [v, p, want] of cases) assert.equal(cFixed(v, p, none), want, `${v} .${p}`)
  assert.equal(cFixed(1e300, 0, none).length, 301)
  assert.ok(cFixed(1e300, 0, none).startsWith('1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160'))
})

test('%f width, - and 0 flags, inf', () => {
  assert.equal(cFixed(2.25, 1, { width: 5, left: false, zero: false }), '  2.2')
  assert.equal(cFixed(-2.25, 1, { width: 5, left: false, zero: true }), '-02.2')
  assert.equal(cFixed(1 / 3, 3, { width: 7, left: true, zero: false }), '0.333  ')
  assert.equal(cFixed(-0, 2, { width: 8, left: false, zero: true }), '-0000.00')
  assert.equal(cFixed(Infinity, -1, none), 'inf')
  assert.equal(cFixed(-Infinity, -1, { width: 10, left: false, zero: true }), '      -inf')
  assert.equal(cFixed(NaN, -1, none), 'nan')
})

test('%1.15g and %1.17g', () => {
  const cases: Array<[number, string, string]> = [
    [0.5, '0.5', '0.5'], [-0, '-0', '-0'], [0.1, '0.1', '0.10000000000000001'], [1e21, '1e+21', '1e+21'],
    [123456789012344.5, '123456789012344', '123456789012344.5'], [1e300, '1e+300', '1.0000000000000001e+300'],
    [1e-7, '1e-07', '9.9999999999999995e-08'], [100, '100', '100'], [1e15, '1e+15', '1000000000000000'],
    [1e16, '1e+16', '10000000000000000'], [123456789012345678, '1.23456789012346e+17', '1.2345678901234568e+17'],
    [-1.25e-310, '-1.25000000000001e-310', '-1.2500000000000085e-310'], [0.000123456, '0.000123456', '0.00012345600000000001'],
  ]
  for (const [v, g15, g17] of cases) {
    assert.equal(cGeneral(v, 15), g15, `${v} %1.15g`)
    assert.equal(cGeneral(v, 17), g17, `${v} %1.17g`)
  }
})

test('%d with width and flags', () => {
  assert.equal(cInt(42, none), '42')
  assert.equal(cInt(42, { width: 5, left: false, zero: false }), '   42')
  assert.equal(cInt(42, { width: 5, left: false, zero: true }), '00042')
  assert.equal(cInt(-42, { width: 5, left: false, zero: true }), '-0042')
  assert.equal(cInt(42, { width: 5, left: true, zero: true }), '42   ')
  assert.equal(cInt(2 ** 32 - 1, none), '-1') // mosquitto casts uint32 to int
})
