// The cJSON 1.7.15 model: which payloads %J accepts, and the exact bytes cJSON prints.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cJsonNumber, cJsonString, jObj, jNum, jStr, parseCJson, printCJson } from '../../../src/cli/format/cjson.js'

const reprint = (s: string | Buffer, pretty = false) => {
  const v = parseCJson(Buffer.from(s))
  return v === undefined ? undefined : printCJson(v, pretty).toString('latin1')
}

test('accepted payloads are re-serialised like cJSON_PrintUnformatted', () => {
  const cases: Array<[string, string]> = [
    ['1.50', '1.5'], [' {"a" : [1, 2 ,3] } \n', '{"a":[1,2,3]}'], ['"x\\u00e9\\/"', '"xé/"'], ['true', 'true'],
    ['null', 'null'], ['-0', '-0'], ['01', '1'], ['1e400', 'null'], ['1E+2', '100'], ['[]', '[]'], ['{}', '{}'],
    ['\ufeff[1]', '[1]'], ['"\\ud83d\\ude00"', '"😀"'], ['"a\\u0000b"', '"a"'], ['"\\uzzzz"', '""'],
    ['{"a":1,"a":2}', '{"a":1,"a":2}'], ['"tab\there"', '"tab\\there"'], ['0.1', '0.1'], ['123456789012345678', '1.2345678901234568e+17'],
    ['"\x01\x7f"', '"\\u0001\x7f"'], ['[true,false,null,"s",{"k":[]}]', '[true,false,null,"s",{"k":[]}]'],
  ]
  for (const [input, want] of cases) assert.equal(reprint(input), Buffer.from(want).toString('latin1'), input)
})

test('rejected payloads', () => {
  const bad = ['', ' ', 'abc', '1 2', '[1,]', '{"a"}', '{a:1}', '"open', '-', '1e', '1.5.3', '0x10', '+1', 'nul',
    "'s'", '"\\q"', '"\\udc00"', '"\\ud800x"', '[1]]', '1\u0000', '{"a":1,}', '[' .repeat(1001) + ']'.repeat(1001)]
  for (const b of bad) assert.equal(parseCJson(Buffer.from(b)), undefined, JSON.stringify(b))
  assert.notEqual(parseCJson(Buffer.from('['.repeat(1000) + ']'.repeat(1000))), undefined)
})

test('invalid UTF-8 passes through strings raw', () => {
  assert.deepEqual(printCJson(parseCJson(Buffer.from([0x22, 0xff, 0xc3, 0x22]))!, false), Buffer.from([0x22, 0xff, 0xc3, 0x22]))
})

test('string escaping: cJSON escapes, \\u00xx for other control bytes, / untouched', () => {
  assert.equal(cJsonString(Buffer.from('"\\\b\f\n\r\t\x01\x1f/é')).toString(), '"\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/é"')
  assert.equal(cJsonString(Buffer.from([0])).toString(), '"\\u0000"')
})

test('numbers: %1.15g unless it does not read back within DBL_EPSILON (values checked against libcjson 1.7.15)', () => {
  assert.equal(cJsonNumber(0.1 + 0.2), '0.3') // cJSON's approximate comparison accepts 0.3
  assert.equal(cJsonNumber(1 / 3), '0.33333333333333331')
  assert.equal(cJsonNumber(2 ** 53 + 2), '9007199254740994')
  assert.equal(cJsonNumber(123456789.123456789), '123456789.12345679')
  assert.equal(cJsonNumber(2.5e-5), '2.5e-05')
  assert.equal(cJsonNumber(Infinity), 'null')
  assert.equal(cJsonNumber(NaN), 'null')
  assert.equal(cJsonNumber(5), '5')
})

test('cJSON_Print layout: TABs, "key":<TAB>value, inline arrays, nested depth counts arrays', () => {
  assert.equal(reprint('{"a":[1,2,{"b":{}}],"c":"d"}', true), '{\n\t"a":\t[1, 2, {\n\t\t\t"b":\t{\n\t\t\t}\n\t\t}],\n\t"c":\t"d"\n}')
  assert.equal(reprint('{}', true), '{\n}')
  assert.equal(reprint('[]', true), '[]')
  assert.equal(printCJson(jObj([['n', jNum(1)], ['s', jStr('x')]]), true).toString(), '{\n\t"n":\t1,\n\t"s":\t"x"\n}')
})
