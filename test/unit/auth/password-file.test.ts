import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  deleteUser, entries, hashPlainEntries, parseLine, parsePasswordFile, serializePasswordFile, setUser,
} from '../../../src/auth/password-file.js'

const FILE = [
  '# users of the lab broker',
  'alice:$6$aaa',
  '',
  'garbage without colon',
  '# bob is next',
  'bob:$7$bbb',
  '  carol  : plain :extra',
].join('\n') + '\n'

test('parse + serialise is byte for byte (comments, blank and unknown lines kept)', () => {
  assert.equal(serializePasswordFile(parsePasswordFile(FILE)), FILE)
})

test('a last line without newline gets one; an empty file stays empty', () => {
  assert.equal(serializePasswordFile(parsePasswordFile('a:b')), 'a:b\n')
  assert.equal(serializePasswordFile(parsePasswordFile('')), '')
})

test('lines are read as the broker reads them: user/secret trimmed, secret ends at the next colon', () => {
  assert.deepEqual(parseLine('  carol  : plain :extra'), { kind: 'entry', user: 'carol', secret: 'plain', raw: '  carol  : plain :extra' })
  assert.deepEqual(parseLine('dave:$6$x\r'), { kind: 'entry', user: 'dave', secret: '$6$x', raw: 'dave:$6$x\r' })
  assert.equal(parseLine('#alice:$6$x').kind, 'other')
  assert.equal(parseLine('nocolon').kind, 'other')
  assert.equal(parseLine('nopass:').kind, 'other')
})

test('updating a user keeps its position and every other line (mosquitto 2.0 drops lines after a comment)', () => {
  const f = parsePasswordFile(FILE)
  assert.equal(setUser(f, 'alice', '$6$new'), true)
  assert.equal(serializePasswordFile(f), FILE.replace('alice:$6$aaa', 'alice:$6$new'))
})

test('a new user is appended after everything else', () => {
  const f = parsePasswordFile(FILE)
  assert.equal(setUser(f, 'erin', '$6$e'), false)
  assert.equal(serializePasswordFile(f), FILE + 'erin:$6$e\n')
})

test('delete removes only that user; unknown user reports false and changes nothing', () => {
  const f = parsePasswordFile(FILE)
  assert.equal(deleteUser(f, 'bob'), true)
  assert.equal(serializePasswordFile(f), FILE.replace('bob:$7$bbb\n', ''))
  assert.equal(deleteUser(f, 'nobody'), false)
  assert.equal(serializePasswordFile(f), FILE.replace('bob:$7$bbb\n', ''))
})

test('-U hashes plain entries only, in place; hashed entries and other lines untouched', async () => {
  const f = parsePasswordFile(FILE)
  const n = await hashPlainEntries(f, (s) => s.startsWith('$'), async (p) => `H(${p})`)
  assert.equal(n, 1)
  assert.equal(serializePasswordFile(f), FILE.replace('  carol  : plain :extra', 'carol:H(plain)'))
})

test('entries(): the first line of a user wins, comments and junk are skipped', () => {
  const m = entries(parsePasswordFile('u:first\n#u:c\nu:second\nx\n v : w \n'))
  assert.deepEqual([...m], [['u', 'first'], ['v', 'w']])
})
