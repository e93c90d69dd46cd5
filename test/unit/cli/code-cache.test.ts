// Where the client tools keep V8's compiled code (src/cli/code-cache.ts): the XDG cache folder, named so a
// cache is used only by the build and the Node version that made it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { codeCacheLocation } from '../../../src/cli/code-cache.js'

test('the cache is under $XDG_CACHE_HOME/tsmqtt, named by tool, bundle hash and Node version', () => {
  assert.deepEqual(codeCacheLocation('tspub', 'abc123', { XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'v20.20.2-x64'), {
    dir: '/x/cache/tsmqtt', prefix: 'tspub-', file: '/x/cache/tsmqtt/tspub-abc123-v20.20.2-x64.v8cache',
  })
})

test('without XDG_CACHE_HOME, or with a relative one (the XDG spec says to ignore it), it is ~/.cache/tsmqtt', () => {
  for (const env of [{ HOME: '/home/u' }, { HOME: '/home/u', XDG_CACHE_HOME: 'relative/dir' }, { HOME: '/home/u', XDG_CACHE_HOME: '' }]) {
    assert.equal(codeCacheLocation('tssub', 'k', env, 'n')?.file, '/home/u/.cache/tsmqtt/tssub-k-n.v8cache', JSON.stringify(env))
  }
})

test('TSMQTT_CODE_CACHE=0, or no home at all, keeps no cache', () => {
  assert.equal(codeCacheLocation('tspub', 'k', { HOME: '/home/u', TSMQTT_CODE_CACHE: '0' }), undefined)
  assert.equal(codeCacheLocation('tspub', 'k', {}), undefined)
})
