import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfigFile } from '../../../src/broker/config/index.js'

test('loadConfigFile reads include_dir *.conf files in sorted order and skips other files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-conf-'))
  const inc = join(dir, 'conf.d')
  mkdirSync(inc)
  writeFileSync(join(inc, 'b.conf'), 'listener 1885\n')
  writeFileSync(join(inc, 'a.conf'), 'listener 1884\n')
  writeFileSync(join(inc, 'c.conf.disabled'), 'nonsense here\n')
  writeFileSync(join(dir, 'm.conf'), `listener 1883\ninclude_dir ${inc}\n`)
  const c = loadConfigFile(join(dir, 'm.conf'))
  assert.deepEqual(c.listeners.map((l) => l.port), [1883, 1884, 1885])
})

test('loadConfigFile: missing file or include_dir is a one-line error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsbroker-conf-'))
  assert.throws(() => loadConfigFile(join(dir, 'nope.conf')), { message: `Unable to open config file ${join(dir, 'nope.conf')}.` })
  writeFileSync(join(dir, 'm.conf'), `\ninclude_dir ${join(dir, 'missing')}\n`)
  assert.throws(() => loadConfigFile(join(dir, 'm.conf')), { message: `Unable to open include_dir '${join(dir, 'missing')}' (${join(dir, 'm.conf')}:2).` })
})
