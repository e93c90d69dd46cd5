// CONNECT at the packet level (issue 9 "CONNECT"): hand-made bytes into broker.handle(), the exact bytes back.
//
// | rule                                                                          | spec                       | answer                         |
// |-------------------------------------------------------------------------------|----------------------------|--------------------------------|
// | unsupported protocol level                                                     | [MQTT-3.1.2-2] (3.1.1, v5) | CONNACK 20 02 00 01, close (as mosquitto, whatever the level) |
// | unknown protocol name                                                          | [MQTT-3.1.2-1] (3.1.1, v5) | close                          |
// | MQTT 3.1 CONNACK has no session-present bit                                    | MQTT 3.1 §3.2              | 20 02 00 00 on resume          |
// | second CONNECT                                                                 | [MQTT-3.1.0-2] (3.1.1, v5) | close; v5 DISCONNECT 0x82 first |
// | password without user name                                                     | [MQTT-3.1.2-22] (3.1.1)    | close, no CONNACK              |
// | user name present without its flag (bytes after the payload)                   | [MQTT-3.1.2-18] (3.1.1), [MQTT-3.1.2-16] (v5) | close, no CONNACK |
// | reserved flag set                                                              | [MQTT-3.1.2-3] (3.1.1, v5) | close, no CONNACK              |
// | will QoS without will, will QoS 3                                              | [MQTT-3.1.2-13], [MQTT-3.1.2-14] (3.1.1) | close, no CONNACK |
// | malformed UTF-8 / U+0000 in client id, user name, will topic                  | [MQTT-1.5.3-1/2] (3.1.1), [MQTT-1.5.4-1/2] (v5) | close, no CONNACK (v5 as mosquitto) |
// | v5 Maximum Packet Size 0, Receive Maximum 0, a duplicated property             | MQTT 5 §3.1.2.11, §2.2.2.2 | close, no CONNACK (as mosquitto) |
// | v5 Authentication Method not supported                                         | [MQTT-4.12.0-1] (v5)       | CONNACK 0x8C, close            |
// | ... unless an `authenticate` hook lists it (BrokerHooks.authenticationMethods) | MQTT 5 §4.12               | CONNACK 0x00 naming the method |
// | client ids are compared as the exact bytes received                            | issue 10 item 3, MQTT 5 §1.5.4 | invalid bytes never reach a session |
// | an empty password never matches, not even a stored ""                          | issue 10 item 4            | CONNACK 0x05 / v5 0x87         |
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { hashPassword } from '../../../src/auth/hash.js'
import { createAuthHooks } from '../../../src/broker/auth-hooks.js'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerOptions } from '../../../src/broker/options.js'
import { CONNACK_OK, Wire, connect, pkt, props, str } from '../../helpers/wire.js'

function broker(t: TestContext, opts: BrokerOptions = {}): Broker {
  const b = createBroker(opts)
  t.after(() => b.close())
  return b
}

const BAD = [0x64, 0xff] // "d" + a byte that is never UTF-8
const NUL = [0x64, 0x00]

test('[MQTT-3.1.2-2] (3.1.1, v5): an unsupported protocol level gets CONNACK 0x01, then the close', async (t) => {
  const b = broker(t)
  for (const c of [connect({ level: 6 }), connect({ name: 'MQTT', level: 3 }), connect({ name: 'MQIsdp', level: 4 }), connect({ level: 0x86 })]) {
    const w = Wire.open(t, b)
    w.write(c)
    await w.expectClose('20020001', c.toString('hex'))
  }
})

test('[MQTT-3.1.2-1] (3.1.1, v5): an unknown protocol name closes without a CONNACK', async (t) => {
  const w = Wire.open(t, broker(t))
  w.write(connect({ name: 'MQTX' }))
  await w.expectClose('')
})

test('MQTT 3.1: the CONNACK has no session-present bit, even when the session is resumed (3.1.1 sets it)', async (t) => {
  const b = broker(t)
  for (const [level, resumed] of [[3, '20020000'], [4, '20020100']] as const) {
    const first = Wire.open(t, b)
    first.write(connect({ level, flags: 0x00, id: `sp${level}` }), 'e000')
    await first.expectClose('20020000')
    const again = Wire.open(t, b)
    again.write(connect({ level, flags: 0x00, id: `sp${level}` }))
    await again.expect(resumed, `level ${level}`)
  }
})

test('[MQTT-3.1.0-2] (3.1.1, v5): a second CONNECT closes; v5 gets DISCONNECT 0x82 first', async (t) => {
  const b = broker(t)
  const v4 = Wire.open(t, b)
  v4.write(connect({ id: 'twice4' }), connect({ id: 'twice4' }))
  await v4.expectClose(CONNACK_OK[4])
  const v5 = Wire.open(t, b)
  v5.write(connect({ level: 5, id: 'twice5' }), connect({ level: 5, id: 'twice5' }))
  await v5.expectClose(CONNACK_OK[5] + 'e00182')
})

const closedWithoutConnack: ReadonlyArray<[string, Buffer]> = [
  ['[MQTT-3.1.2-22] (3.1.1): a password without the user-name flag', connect({ flags: 0x42, rest: str('pw') })],
  ['[MQTT-3.1.2-22] (3.1): a password without the user-name flag', connect({ level: 3, flags: 0x42, rest: str('pw') })],
  ['[MQTT-3.1.2-18] (3.1.1): a user name without its flag', connect({ rest: str('user') })],
  ['[MQTT-3.1.2-16] (v5): a user name without its flag', connect({ level: 5, rest: str('user') })],
  ['[MQTT-3.1.2-3] (3.1.1): the reserved flag', connect({ flags: 0x03 })],
  ['[MQTT-3.1.2-3] (v5): the reserved flag', connect({ level: 5, flags: 0x03 })],
  ['[MQTT-3.1.2-13] (3.1.1): will QoS without a will', connect({ flags: 0x0a })],
  ['[MQTT-3.1.2-14] (3.1.1): will QoS 3', connect({ flags: 0x1e, rest: [...str('w'), ...str('p')] })],
  ['[MQTT-1.5.3-1] (3.1.1): a client id that is not UTF-8', connect({ id: Buffer.from(BAD) })],
  ['[MQTT-1.5.3-2] (3.1.1): a client id with U+0000', connect({ id: Buffer.from(NUL) })],
  ['[MQTT-1.5.4-1] (v5): a client id that is not UTF-8', connect({ level: 5, id: Buffer.from(BAD) })],
  ['[MQTT-1.5.4-2] (v5): a client id with U+0000', connect({ level: 5, id: Buffer.from(NUL) })],
  ['[MQTT-1.5.3-1] (3.1.1): a user name that is not UTF-8', connect({ flags: 0x82, rest: str(BAD) })],
  ['[MQTT-1.5.4-2] (v5): a user name with U+0000', connect({ level: 5, flags: 0x82, rest: str(NUL) })],
  ['[MQTT-1.5.3-1] (3.1.1): a will topic with an encoded surrogate', connect({ flags: 0x06, rest: [...str([0x61, 0xed, 0xa0, 0x80]), ...str('p')] })],
  ['[MQTT-1.5.4-2] (v5): a will topic with U+0000', connect({ level: 5, flags: 0x06, rest: [0, ...str(NUL), ...str('p')] })],
  ['MQTT 5 §3.1.2.11.4: Maximum Packet Size 0', connect({ level: 5, properties: [0x27, 0, 0, 0, 0] })],
  ['MQTT 5 §3.1.2.11.3: Receive Maximum 0', connect({ level: 5, properties: [0x21, 0, 0] })],
  ['MQTT 5 §2.2.2.2: Session Expiry Interval twice', connect({ level: 5, properties: [0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 1] })],
  ['MQTT 5 §2.2.2.2: a will property twice', connect({ level: 5, flags: 0x06, rest: [...props([0x01, 0, 0x01, 0]), ...str('w'), ...str('p')] })],
]
for (const [name, bytes] of closedWithoutConnack) {
  test(`${name} closes without a CONNACK`, async (t) => {
    const w = Wire.open(t, broker(t))
    w.write(bytes)
    await w.expectClose('')
  })
}

test('[MQTT-4.12.0-1] (v5): an Authentication Method nobody implements gets CONNACK 0x8C, then the close', async (t) => {
  const w = Wire.open(t, broker(t))
  w.write(connect({ level: 5, properties: [0x15, ...str('SCRAM-SHA-1'), 0x16, ...str('x')] }))
  await w.expectClose('2003008c00')
})

test('MQTT 5 §4.12: a hook listing the method authenticates with it; the CONNACK names the method and carries its data', async (t) => {
  const seen: Array<[string | undefined, string | undefined]> = []
  const b = broker(t, {
    hooks: {
      authenticationMethods: ['TOKEN'],
      authenticate: (c) => {
        seen.push([c.authenticationMethod, c.authenticationData?.toString()])
        return c.authenticationData?.toString() === 'good' ? { ok: true, authenticationData: Buffer.from('ok') } : { ok: false, reasonCode: 0x87 }
      },
    },
  })
  const good = Wire.open(t, b)
  good.write(connect({ level: 5, id: 'tok', properties: [0x15, ...str('TOKEN'), 0x16, ...str('good')] }))
  await good.expect(pkt(0x20, [0, 0, ...props([0x22, 0, 10, 0x21, 0, 20, 0x15, ...str('TOKEN'), 0x16, ...str('ok')])]))
  await good.ping()
  const bad = Wire.open(t, b)
  bad.write(connect({ level: 5, id: 'tok2', properties: [0x15, ...str('TOKEN'), 0x16, ...str('bad')] }))
  await bad.expectClose('2003008700')
  const other = Wire.open(t, b)
  other.write(connect({ level: 5, id: 'tok3', properties: [0x15, ...str('OTHER')] }))
  await other.expectClose('2003008c00')
  assert.deepEqual(seen, [['TOKEN', 'good'], ['TOKEN', 'bad']])
})

test('issue 10 item 3: ids are the exact bytes; "dev\\xfe" cannot resume the session of "dev\\xff" (nor of "dev\\uFFFD")', async (t) => {
  const b = broker(t)
  // a persistent session with a queued QoS 1 message, for the id whose bytes are valid: d e v EF BF BD
  const valid = Buffer.from('dev\uFFFD')
  const owner = Wire.open(t, b)
  owner.write(connect({ flags: 0x00, id: valid }), pkt(0x82, [0, 1, ...str('q'), 1]))
  await owner.expect(CONNACK_OK[4] + '9003000101')
  owner.write('e000')
  await owner.closed()
  b.publish({ topic: 'q', payload: Buffer.from('m'), qos: 1 })
  for (const id of [[0x64, 0x65, 0x76, 0xfe], [0x64, 0x65, 0x76, 0xff]]) {
    const thief = Wire.open(t, b)
    thief.write(connect({ flags: 0x00, id: Buffer.from(id) }))
    await thief.expectClose('', Buffer.from(id).toString('hex'))
  }
  const back = Wire.open(t, b)
  back.write(connect({ flags: 0x00, id: valid }))
  await back.expect('20020100' + pkt(0x32, [...str('q'), 0, 1, 0x6d]).toString('hex'), 'the message waited for its own client')
})

test('issue 10 item 4: an empty password never matches, not even a stored hash of ""', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-strict-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  const passwordFile = join(d, 'pw')
  writeFileSync(passwordFile, `empty:${await hashPassword('', { type: 'sha512-pbkdf2', iterations: 1000 })}\nfull:${await hashPassword('x', { type: 'sha512', })}\n`)
  const b = broker(t, { hooks: createAuthHooks({ passwordFile, allowAnonymous: false }) })
  const user = (name: string, password: string) => [...str(name), ...str(password)]
  const cases: ReadonlyArray<[Buffer, string]> = [
    [connect({ flags: 0xc2, rest: user('empty', '') }), '20020005'],
    [connect({ level: 5, flags: 0xc2, rest: user('empty', '') }), '2003008700'],
    [connect({ level: 3, flags: 0xc2, rest: user('full', '') }), '20020005'],
  ]
  for (const [bytes, answer] of cases) {
    const w = Wire.open(t, b)
    w.write(bytes)
    await w.expectClose(answer)
  }
  const ok = Wire.open(t, b)
  ok.write(connect({ flags: 0xc2, rest: user('full', 'x') }))
  await ok.expect(CONNACK_OK[4])
})
