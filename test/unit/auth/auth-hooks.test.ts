import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword } from '../../../src/auth/hash.js'
import { AuthConfigError, createAuthHooks, type AuthHooks } from '../../../src/broker/auth-hooks.js'
import type { ConnectInfo } from '../../../src/broker/hooks.js'

function dir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-auth-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  return d
}

const client = (username?: string, password?: string, listener = '1883'): ConnectInfo => ({
  clientId: 'c1', username, password: password === undefined ? undefined : Buffer.from(password),
  protocolVersion: 5, remoteAddress: '127.0.0.1:5000', listener,
})

async function pwFile(t: TestContext, users: Record<string, string>, type: 'sha512' | 'sha512-pbkdf2' | 'argon2id' = 'sha512'): Promise<string> {
  const lines = ['# test users']
  for (const [u, p] of Object.entries(users)) lines.push(`${u}:${await hashPassword(p, { type, iterations: 10 })}`)
  const path = join(dir(t), 'pw')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

const DENIED = { ok: false, reasonCode: 135 }
/** An absent hook has no objection: tsbroker only installs the hooks its settings need. */
const login = (h: AuthHooks, c: ConnectInfo) => h.authenticate?.(c) ?? { ok: true }
const mayPublish = (h: AuthHooks, c: ConnectInfo, topic: string) => h.authorizePublish?.(c, topic) ?? true
const mayRead = (h: AuthHooks, c: ConnectInfo, topic: string) => h.authorizeRead?.(c, topic) ?? true

for (const type of ['sha512', 'sha512-pbkdf2', 'argon2id'] as const) {
  test(`password_file (${type}): right password ok, wrong / unknown user / no password → 135`, async (t) => {
    const hooks = createAuthHooks({ passwordFile: await pwFile(t, { alice: 's3cret' }, type), allowAnonymous: false })
    assert.deepEqual(await login(hooks, client('alice', 's3cret')), { ok: true })
    assert.deepEqual(await login(hooks, client('alice', 'wrong')), DENIED)
    assert.deepEqual(await login(hooks, client('bob', 's3cret')), DENIED)
    assert.deepEqual(await login(hooks, client('alice')), DENIED)
  })
}

test('allow_anonymous decides for clients without a user name', async (t) => {
  const passwordFile = await pwFile(t, { alice: 'x' })
  assert.deepEqual(await login(createAuthHooks({ passwordFile, allowAnonymous: false }), client()), DENIED)
  assert.deepEqual(await login(createAuthHooks({ passwordFile, allowAnonymous: true }), client()), { ok: true })
})

test('no password_file: allow_anonymous false refuses named clients too (mosquitto 2.0.11, observed)', async () => {
  assert.deepEqual(await login(createAuthHooks({ allowAnonymous: false }), client('bob', 'x')), DENIED)
  assert.deepEqual(await login(createAuthHooks({ allowAnonymous: true }), client('bob', 'x')), { ok: true })
})

test('acl_file: publish needs write, delivery needs read; no acl_file allows everything', (t) => {
  const aclFile = join(dir(t), 'acl')
  writeFileSync(aclFile, 'user alice\ntopic write in/#\ntopic read out/#\n')
  const hooks = createAuthHooks({ aclFile, allowAnonymous: true })
  const alice = client('alice', 'x')
  assert.equal(mayPublish(hooks, alice, 'in/1'), true)
  assert.equal(mayPublish(hooks, alice, 'out/1'), false)
  assert.equal(mayRead(hooks, alice, 'out/1'), true)
  assert.equal(mayRead(hooks, alice, 'in/1'), false)
  const open = createAuthHooks({ allowAnonymous: true })
  assert.deepEqual(Object.keys(open), ['reload'], 'no files, anonymous allowed: no hooks at all, the broker stays on its synchronous paths')
})

test('per_listener_settings: each listener its own files; unknown listener uses the top level', async (t) => {
  const passwordFile = await pwFile(t, { alice: 'a' })
  const hooks = createAuthHooks({
    allowAnonymous: false, perListenerSettings: true,
    listeners: { '1883': { allowAnonymous: true }, '8883': { passwordFile, allowAnonymous: false } },
  })
  assert.deepEqual(await login(hooks, client(undefined, undefined, '1883')), { ok: true })
  assert.deepEqual(await login(hooks, client(undefined, undefined, '8883')), DENIED)
  assert.deepEqual(await login(hooks, client('alice', 'a', '8883')), { ok: true })
  assert.deepEqual(await login(hooks, client(undefined, undefined, '9999')), DENIED)
})

test('listeners map is ignored without per_listener_settings', async () => {
  const hooks = createAuthHooks({ allowAnonymous: true, listeners: { '1883': { allowAnonymous: false } } })
  assert.deepEqual(await login(hooks, client(undefined, undefined, '1883')), { ok: true })
})

test('reload() picks up a changed password file; a broken reload keeps the old tables', async (t) => {
  const passwordFile = await pwFile(t, { alice: 'one' })
  const hooks = createAuthHooks({ passwordFile, allowAnonymous: false })
  writeFileSync(passwordFile, `alice:${await hashPassword('two', { type: 'sha512' })}\n`)
  assert.deepEqual(await login(hooks, client('alice', 'two')), DENIED) // not before reload
  await hooks.reload()
  assert.deepEqual(await login(hooks, client('alice', 'two')), { ok: true })
  rmSync(passwordFile)
  await assert.rejects(hooks.reload(), AuthConfigError)
  assert.deepEqual(await login(hooks, client('alice', 'two')), { ok: true })
})

test('startup errors: missing password file, invalid ACL line (mosquitto wording)', (t) => {
  const d = dir(t)
  assert.throws(() => createAuthHooks({ passwordFile: join(d, 'nope'), allowAnonymous: false }),
    { name: 'AuthConfigError', message: `Error: Unable to open pwfile "${join(d, 'nope')}". No such file or directory.` })
  const aclFile = join(d, 'acl')
  writeFileSync(aclFile, 'topic read a\nbogus line\n')
  assert.throws(() => createAuthHooks({ aclFile, allowAnonymous: true }),
    { name: 'AuthConfigError', message: `Error: Invalid line in acl_file "${aclFile}": bogus line.` })
})

test('undecodable password entries are dropped with a warning; the others still log in', async (t) => {
  const passwordFile = join(dir(t), 'pw')
  writeFileSync(passwordFile, `carol:plaintext\nalice:${await hashPassword('a', { type: 'sha512' })}\n`)
  const warnings: string[] = []
  const hooks = createAuthHooks({ passwordFile, allowAnonymous: false, onWarning: (m) => warnings.push(m) })
  assert.deepEqual(warnings, ['Error: Unable to decode password for user carol, removing entry.'])
  assert.deepEqual(await login(hooks, client('carol', 'plaintext')), DENIED)
  assert.deepEqual(await login(hooks, client('alice', 'a')), { ok: true })
})

test('a garbage line in the password file is reported (mosquitto: "Invalid line in password file"), the rest still log in', async (t) => {
  const passwordFile = join(dir(t), 'pw')
  const alice = `alice:${await hashPassword('a', { type: 'sha512' })}`
  writeFileSync(passwordFile, `# users\n\nthis is not an entry\n${alice}\nbob:\n:s3cret\n`)
  const warnings: string[] = []
  const hooks = createAuthHooks({ passwordFile, allowAnonymous: false, onWarning: (m) => warnings.push(m) })
  assert.deepEqual(warnings, [
    `Warning: Invalid line in password file '${passwordFile}': line 3`, // the text itself may be a password
    `Warning: Invalid line in password file '${passwordFile}': bob`, // mosquitto's line, naming the user
    `Warning: Invalid line in password file '${passwordFile}': line 6`,
  ])
  assert.ok(!warnings.some((w) => w.includes('s3cret') || w.includes('not an entry')))
  assert.deepEqual(await login(hooks, client('alice', 'a')), { ok: true })
  warnings.length = 0
  await hooks.reload() // SIGHUP: the same findings again, from the file as it is now
  assert.equal(warnings.length, 3)
})
