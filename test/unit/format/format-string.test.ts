// -F validation texts (mosquitto's check_format) and what a format compiles to.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileFormat, type Spec } from '../../../src/cli/format/format-string.js'
import { UsageError } from '../../../src/core/errors.js'

test('invalid formats throw mosquitto\'s usage errors', () => {
  const cases: Array<[string, string]> = [
    ['%', 'Incomplete format specifier.'], ['abc%', 'Incomplete format specifier.'], ['%-', 'Incomplete format specifier.'],
    ['%0', 'Incomplete format specifier.'], ['%10', 'Incomplete format specifier.'], ['%.5', 'Incomplete format specifier.'],
    ['%.', 'Incomplete format specifier.'], ['@', 'Incomplete format specifier.'], ['x@', 'Incomplete format specifier.'],
    ['%:', 'Incomplete format specifier.'], ['%z', "Invalid format specifier 'z'."], ['%5k', "Invalid format specifier 'k'."],
    ['%é', "Invalid format specifier 'é'."], ['%0-5p', "Invalid format specifier '5'."], ['\\', 'Incomplete escape specifier.'],
    ['\\q', "Invalid escape specifier 'q'."], ['ok \\x', "Invalid escape specifier 'x'."],
  ]
  for (const [fmt, message] of cases) {
    assert.throws(() => compileFormat(fmt), (e: unknown) => e instanceof UsageError && e.message === message, fmt)
  }
})

test('valid formats', () => {
  for (const f of ['', 'plain', '%%', '%t%p%q%r%l%m%x%X%j%J%U%I%A%C%D%E%F%P%R%S%f%d', '%-010.3t', '%.2:x', '%-.4 X',
    '%0-x', '@@', '@q', '@N', '\\\\\\0\\a\\e\\n\\r\\t\\v', '%--x']) {
    assert.doesNotThrow(() => compileFormat(f), f)
  }
})

test('flags, width, precision and separator are parsed like sub_client_output.c', () => {
  const spec = (f: string) => compileFormat(f).tokens[0] as Spec
  assert.deepEqual(spec('%-010.3t'), { kind: 'spec', conv: 't', left: true, zero: true, width: 10, precision: 3, sep: ' ' })
  assert.deepEqual(spec('%05p'), { kind: 'spec', conv: 'p', left: false, zero: true, width: 5, precision: -1, sep: ' ' })
  assert.deepEqual(spec('%.4:x'), { kind: 'spec', conv: 'x', left: false, zero: false, width: 0, precision: 4, sep: ':' })
  assert.deepEqual(spec('%.x'), { kind: 'spec', conv: 'x', left: false, zero: false, width: 0, precision: 0, sep: ' ' })
  assert.deepEqual(spec('%0-x'), { kind: 'spec', conv: 'x', left: false, zero: true, width: 0, precision: -1, sep: '-' })
})

test('escapes and literals become bytes; @ codes become clock tokens', () => {
  const f = compileFormat('a\\0b\\e@@é@Y')
  assert.deepEqual(f.tokens, [{ kind: 'lit', bytes: Buffer.from('a\0b\x1b@é') }, { kind: 'time', letter: 'Y' }])
})
