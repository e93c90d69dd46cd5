// Every error the library throws is an MqttError with a stable `code` (tests and applications switch on
// it); the OS error, where there is one, is the `cause`.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseAcl } from '../../src/auth/acl.js'
import { writeFileAtomic } from '../../src/auth/atomic-write.js'
import { createAuthHooks } from '../../src/broker/auth-hooks.js'
import { createBroker } from '../../src/broker/broker.js'
import { MqttError } from '../../src/core/errors.js'
import { repoRoot } from '../helpers/run-cli.js'

function isMqttError(code: string, cause?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof MqttError, `not an MqttError: ${String(e)}`)
    assert.equal(e.code, code)
    if (cause !== undefined) assert.equal((e.cause as NodeJS.ErrnoException | undefined)?.code, cause)
    return true
  }
}

test('an unreadable password_file: ERR_AUTH_CONFIG', () => {
  assert.throws(() => createAuthHooks({ allowAnonymous: false, passwordFile: '/nonexistent/tsmqtt/passwd' }), isMqttError('ERR_AUTH_CONFIG'))
})

test('a bad acl_file line: ERR_ACL_FILE', () => {
  assert.throws(() => parseAcl('bogus line\n', 'acl.conf'), isMqttError('ERR_ACL_FILE'))
})

test('a password file that cannot be written: ERR_FILE_WRITE with the OS error as cause', async () => {
  await assert.rejects(writeFileAtomic('/nonexistent/tsmqtt/dir/passwd', 'x'), isMqttError('ERR_FILE_WRITE', 'ENOENT'))
})

test('listen() on a closed broker: ERR_BROKER_CLOSED', async () => {
  const broker = createBroker({})
  await broker.close()
  await assert.rejects(broker.listen({ port: 0, host: '127.0.0.1' }), isMqttError('ERR_BROKER_CLOSED'))
})

test('listen() on a port in use: ERR_NETWORK "Address already in use", EADDRINUSE as cause', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const { port } = blocker.address() as { port: number }
  const broker = createBroker({})
  t.after(() => broker.close())
  await assert.rejects(broker.listen({ port, host: '127.0.0.1' }), (e) => isMqttError('ERR_NETWORK', 'EADDRINUSE')(e) && /Address already in use/.test((e as Error).message))
})

test('library code throws no bare Error (src/core, client, broker, auth)', () => {
  // src/codec's decoder errors never leave it bare: PacketConnection reports them as ProtocolError.
  const bare = /\b(?:throw new|reject\(new|extends) (?:Error|TypeError|RangeError)\b/
  const offenders: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.ts')) {
        readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
          if (bare.test(line) && !line.includes('class MqttError extends Error')) offenders.push(`${path.slice(repoRoot.length)}:${i + 1}`)
        })
      }
    }
  }
  for (const d of ['core', 'client', 'broker', 'auth']) walk(join(repoRoot, 'src', d))
  assert.deepEqual(offenders, [])
})
