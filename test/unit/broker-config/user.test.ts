// mosquitto.conf `user`: who tsbroker becomes when started as root (with a fake of the process calls).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, parseConfig } from '../../../src/broker/config/index.js'
import { dropPrivileges, type Ids, type Privileges } from '../../../src/cli/broker-user.js'

function fake(root: boolean, users: Record<string, Ids>, fail?: Error) {
  const became: string[] = []
  const p: Privileges = {
    isRoot: () => root,
    lookup: (n) => users[n],
    become: (n, ids) => { if (fail) throw fail; became.push(`${n} ${ids.uid}:${ids.gid}`) },
  }
  return { p, became }
}

test('`user` is parsed once, as mosquitto', () => {
  assert.equal(parseConfig('user mqtt', 'm.conf').user, 'mqtt')
  assert.throws(() => parseConfig('user a\nuser b', 'm.conf'), ConfigError)
})

test('as root: become the user (its uid and primary group)', () => {
  const f = fake(true, { mqtt: { uid: 101, gid: 102 } })
  dropPrivileges('mqtt', () => {}, f.p)
  assert.deepEqual(f.became, ['mqtt 101:102'])
})

test('not root, or `user root`: nothing changes', () => {
  for (const [root, user] of [[false, 'mqtt'], [true, 'root']] as const) {
    const f = fake(root, { mqtt: { uid: 1, gid: 1 }, root: { uid: 0, gid: 0 } })
    dropPrivileges(user, () => {}, f.p)
    assert.deepEqual(f.became, [])
  }
})

test("an unknown user is an error; an unknown 'mosquitto' falls back to nobody with mosquitto's warning", () => {
  assert.throws(() => dropPrivileges('ghost', () => {}, fake(true, {}).p),
    { message: "Unable to drop privileges to 'ghost' because this user does not exist." })
  const warnings: string[] = []
  const f = fake(true, { nobody: { uid: 65534, gid: 65534 } })
  dropPrivileges('mosquitto', (w) => warnings.push(w), f.p)
  assert.deepEqual(f.became, ['nobody 65534:65534'])
  assert.deepEqual(warnings, ["Warning: Unable to drop privileges to 'mosquitto' because this user does not exist. Trying 'nobody' instead."])
  assert.throws(() => dropPrivileges('mosquitto', () => {}, fake(true, {}).p), { message: "Unable to drop privileges to 'nobody'." })
})

test('a failing setuid is a start-up error with the reason', () => {
  const eperm = Object.assign(new Error('EPERM'), { code: 'EPERM' })
  assert.throws(() => dropPrivileges('mqtt', () => {}, fake(true, { mqtt: { uid: 1, gid: 1 } }, eperm).p),
    { message: "Unable to drop privileges to 'mqtt': Operation not permitted." })
})
