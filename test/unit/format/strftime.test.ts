// strftime codes for `@X`, `%I` and JSON tst; expected values come from glibc 2.36's strftime with the same TZ.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { localTime } from '../../../src/cli/format/local-time.js'
import { strftimeOne } from '../../../src/cli/format/strftime.js'

function codes(tz: string, epoch: number): string {
  process.env.TZ = tz
  const tm = localTime(epoch)
  return Array.from('aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%qE+').map((c) => `${c}=[${strftimeOne(c, tm)}]`).join('|')
}

test('every code in Europe/Berlin (winter)', () => {
  assert.equal(codes('Europe/Berlin', 1795464947),
    'a=[Mon]|A=[Monday]|b=[Nov]|B=[November]|c=[Mon Nov 23 21:15:47 2026]|C=[20]|d=[23]|D=[11/23/26]|e=[23]|' +
    'F=[2026-11-23]|g=[26]|G=[2026]|h=[Nov]|H=[21]|I=[09]|j=[327]|k=[21]|l=[ 9]|m=[11]|M=[15]|n=[\n]|p=[PM]|P=[pm]|' +
    'r=[09:15:47 PM]|R=[21:15]|s=[1795464947]|S=[47]|t=[\t]|T=[21:15:47]|u=[1]|U=[47]|V=[48]|w=[1]|W=[47]|' +
    'x=[11/23/26]|X=[21:15:47]|y=[26]|Y=[2026]|z=[+0100]|Z=[CET]|%=[%]|q=[%q]|E=[%E]|+=[%+]')
})

test('every code at the epoch in UTC', () => {
  assert.equal(codes('UTC', 0),
    'a=[Thu]|A=[Thursday]|b=[Jan]|B=[January]|c=[Thu Jan  1 00:00:00 1970]|C=[19]|d=[01]|D=[01/01/70]|e=[ 1]|' +
    'F=[1970-01-01]|g=[70]|G=[1970]|h=[Jan]|H=[00]|I=[12]|j=[001]|k=[ 0]|l=[12]|m=[01]|M=[00]|n=[\n]|p=[AM]|P=[am]|' +
    'r=[12:00:00 AM]|R=[00:00]|s=[0]|S=[00]|t=[\t]|T=[00:00:00]|u=[4]|U=[00]|V=[01]|w=[4]|W=[00]|' +
    'x=[01/01/70]|X=[00:00:00]|y=[70]|Y=[1970]|z=[+0000]|Z=[UTC]|%=[%]|q=[%q]|E=[%E]|+=[%+]')
})

test('summer time, negative offsets, ISO week-year edges', () => {
  process.env.TZ = 'Europe/Berlin'
  const summer = localTime(1783000000) // 2026-07-02
  assert.equal(strftimeOne('z', summer) + strftimeOne('Z', summer), '+0200CEST')
  process.env.TZ = 'America/New_York'
  const ny = localTime(1700000000)
  assert.equal(`${strftimeOne('c', ny)} ${strftimeOne('z', ny)} ${strftimeOne('Z', ny)}`, 'Tue Nov 14 17:13:20 2023 -0500 EST')
  process.env.TZ = 'Asia/Kolkata'
  assert.equal(strftimeOne('z', localTime(0)), '+0530')
  process.env.TZ = 'UTC'
  // 2021-01-01 is a Friday: ISO week 53 of 2020. 2024-12-30 (Monday): week 1 of 2025.
  const a = localTime(1609459200)
  assert.equal(`${strftimeOne('G', a)}-W${strftimeOne('V', a)} ${strftimeOne('U', a)} ${strftimeOne('W', a)}`, '2020-W53 00 00')
  const b = localTime(1735516800)
  assert.equal(`${strftimeOne('G', b)}-W${strftimeOne('V', b)} ${strftimeOne('g', b)}`, '2025-W01 25')
})
