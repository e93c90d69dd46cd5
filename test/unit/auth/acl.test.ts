import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AclFileError, aclAllows, aclAllowsSubscribe, parseAcl, type AclSubject, type Need } from '../../../src/auth/acl.js'

// The example verified against mosquitto 2.0.11 (reference §9), plus anonymous rules, denies and %c.
const ACL = `# anonymous clients
topic read public/#
topic deny public/secret/#

user alice
topic readwrite alice/#
topic read public/#
topic write   logs/with space

user bob
topic deny bob/private/#
topic bob/#

pattern readwrite users/%u/#
pattern write devices/%c/status
pattern deny users/%u/locked
pattern read $SYS/broker/clients/%c
`
const table = parseAcl(ACL, 'acl.conf')
const anon: AclSubject = { username: undefined, clientId: 'anon-1' }
const alice = { username: 'alice', clientId: 'a1' }
const bob = { username: 'bob', clientId: 'dev7' }

const cases: ReadonlyArray<[who: string, subject: AclSubject, topic: string, need: Need, allowed: boolean]> = [
  ['anonymous', anon, 'public/news', 'read', true],
  ['anonymous', anon, 'public/news', 'write', false],
  ['anonymous', anon, 'public/secret/x', 'read', false], // deny beats the broader grant
  ['anonymous', anon, 'users/anon-1/x', 'read', false], // %u patterns skip clients without a user name
  ['anonymous', anon, 'devices/anon-1/status', 'write', true], // %c applies to everyone
  ['alice', alice, 'alice/x/y', 'write', true],
  ['alice', alice, 'alice', 'read', true],
  ['alice', alice, 'public/secret/x', 'read', true], // anonymous section does not apply to alice
  ['alice', alice, 'public/a', 'write', false],
  ['alice', alice, 'logs/with space', 'write', true], // filter is the rest of the line
  ['alice', alice, 'logs/with space', 'read', false],
  ['alice', alice, 'bob/x', 'read', false],
  ['alice', alice, 'users/alice/inbox', 'read', true], // %u whole level
  ['alice', alice, 'users/bob/inbox', 'read', false],
  ['alice', alice, 'users/alice/locked', 'write', false], // pattern deny beats pattern grant
  ['bob', bob, 'bob/a', 'write', true], // access omitted = readwrite
  ['bob', bob, 'bob/private/k', 'read', false], // deny checked first even though bob/# is listed after
  ['bob', bob, 'devices/dev7/status', 'write', true],
  ['bob', bob, 'devices/dev7/status', 'read', false],
  ['bob', bob, 'devices/a1/status', 'write', false],
  ['bob', bob, '$SYS/broker/clients/dev7', 'read', true],
  ['unknown user', { username: 'mallory', clientId: 'm' }, 'public/news', 'read', false],
  ['unknown user', { username: 'mallory', clientId: 'm' }, 'users/mallory/x', 'write', true],
]
for (const [who, s, topic, need, allowed] of cases) {
  test(`ACL: ${who} ${need} ${topic} → ${allowed ? 'allowed' : 'denied'}`, () => {
    assert.equal(aclAllows(table, s, topic, need), allowed)
  })
}

test('ACL: # does not grant $SYS topics [MQTT-4.7.2-1]', () => {
  const t = parseAcl('topic readwrite #\n', 'f')
  assert.equal(aclAllows(t, anon, 'a/b', 'read'), true)
  assert.equal(aclAllows(t, anon, '$SYS/broker/uptime', 'read'), false)
})

test('ACL: %u / %c substitute whole levels only; a name with "/" never matches', () => {
  const t = parseAcl('pattern readwrite users/%u/#\npattern readwrite x%u/#\n', 'f')
  assert.equal(aclAllows(t, { username: 'a/b', clientId: 'c' }, 'users/a/b/x', 'read'), false)
  assert.equal(aclAllows(t, { username: 'u', clientId: 'c' }, 'xu/1', 'read'), false)
  assert.equal(aclAllows(t, { username: 'u', clientId: 'c' }, 'x%u/1', 'read'), true) // literal level
  assert.match(t.warnings.join('\n'), /whole topic level/)
})

test('ACL: with patterns, a user name or client id holding + or # is refused everything (as mosquitto)', () => {
  assert.equal(aclAllows(table, { username: 'al+ce', clientId: 'c' }, 'users/al+ce/x', 'read'), false)
  assert.equal(aclAllows(table, { username: 'alice', clientId: 'c#' }, 'alice/x', 'read'), false)
})

test('ACL: sections of the same user are merged', () => {
  const t = parseAcl('user u\ntopic read a\nuser v\ntopic read b\nuser u\ntopic read c\n', 'f')
  assert.equal(aclAllows(t, { username: 'u', clientId: 'x' }, 'c', 'read'), true)
  assert.equal(aclAllows(t, { username: 'u', clientId: 'x' }, 'a', 'read'), true)
  assert.equal(aclAllows(t, { username: 'u', clientId: 'x' }, 'b', 'read'), false)
})

test('ACL: pattern without %u/%c gets mosquitto\'s warning; CRLF and trailing blanks are trimmed', () => {
  const t = parseAcl('pattern read fixed/topic\r\ntopic read a/b   \r\n', 'f')
  assert.deepEqual(t.warnings, ["Warning: ACL pattern 'fixed/topic' does not contain '%c' or '%u'."])
  assert.equal(aclAllows(t, anon, 'a/b', 'read'), true)
})

const BAD: ReadonlyArray<[text: string, message: string, line: number]> = [
  ['topic read a\nfoo bar\n', 'Error: Invalid line in acl_file "acl.conf": foo bar.', 2],
  ['topic\n', 'Error: Empty topic in acl_file "acl.conf".', 1],
  ['topic rw a/b\n', 'Error: Invalid topic access type "rw" in acl_file "acl.conf".', 1],
  ['topic read a/#/b\n', 'Error: Invalid ACL topic "a/#/b" in acl_file "acl.conf".', 1],
  ['user\n', 'Error: Missing username in acl_file "acl.conf".', 1],
  ['  # indented comment\n', 'Error: Invalid line in acl_file "acl.conf":   # indented comment.', 1],
]
for (const [text, message, line] of BAD) {
  test(`ACL file error: ${message}`, () => {
    assert.throws(() => parseAcl(text, 'acl.conf'), (e: unknown) => e instanceof AclFileError && e.message === message && e.line === line)
  })
}

// SUBSCRIBE against the read rules (issue 9): refused only when no message of the filter could ever be
// delivered (no read rule overlaps it, or a deny covers it all); otherwise granted and filtered on delivery.
const subscribeCases: ReadonlyArray<[who: string, subject: AclSubject, filter: string, granted: boolean]> = [
  ['anonymous', anon, 'public/news', true],
  ['anonymous', anon, 'public/#', true], // public/secret/# is denied, the rest of public/# is readable
  ['anonymous', anon, '#', true], // overlaps public/#: granted, filtered on delivery
  ['anonymous', anon, 'public/secret/#', false], // covered by a deny
  ['anonymous', anon, 'public/secret/+/x', false],
  ['anonymous', anon, 'private/#', false], // no read rule overlaps
  ['anonymous', anon, 'devices/anon-1/status', false], // write only
  ['alice', alice, '+/x', true], // alice/x
  ['alice', alice, 'bob/#', false],
  ['alice', alice, 'users/+/inbox', true], // users/alice/inbox
  ['alice', alice, 'users/alice/locked', false], // pattern deny
  ['bob', bob, 'bob/private/#', false],
  ['bob', bob, 'bob/+', true],
  ['bob', bob, '$SYS/#', true], // $SYS/broker/clients/dev7
  ['bob', bob, '#', true], // bob/#
  ['anonymous', anon, '$SYS/#', true], // pattern read $SYS/broker/clients/%c
  ['anonymous', anon, '$SYS/broker/uptime', false],
  ['anonymous', anon, '+/news', true], // public/news
  ['bob', { username: 'bob', clientId: 'x' }, '$SYS/broker/+', false], // [MQTT-4.7.2-1]: bob/# is no $ rule
  ['with a wildcard in the name', { username: 'al+ce', clientId: 'c' }, 'alice/x', false],
]
for (const [who, s, filter, granted] of subscribeCases) {
  test(`ACL: ${who} subscribes to ${filter} → ${granted ? 'granted' : 'refused'}`, () => {
    assert.equal(aclAllowsSubscribe(table, s, filter), granted)
  })
}
