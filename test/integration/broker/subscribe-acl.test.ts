// A subscription the read ACL can never serve is refused in its SUBACK (issue 9; mosquitto 2.0 grants it
// and only filters at delivery). How a read ACL answers for a filter: see aclAllowsSubscribe (auth/acl.ts).
//
// | rule                                                                     | spec / source                       | SUBACK             |
// |--------------------------------------------------------------------------|-------------------------------------|--------------------|
// | no read rule overlaps the filter, or a deny covers it: refused           | [MQTT-3.9.3-1] (3.1.1: 0x80), MQTT 5 §3.9.3 (0x87) | 0x80 / v5 0x87 |
// | a filter some read rule overlaps: granted, each message checked on delivery | [MQTT-3.8.4-1]                   | granted QoS        |
// | hooks: authorizeSubscribe decides; without it, authorizeRead answers for filters that are topics | BrokerHooks |     |
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createAuthHooks } from '../../../src/broker/auth-hooks.js'
import { createBroker, type Broker } from '../../../src/broker/broker.js'
import type { BrokerHooks } from '../../../src/broker/hooks.js'
import { CONNACK_OK, Wire, connect, pkt, str } from '../../helpers/wire.js'

function broker(t: TestContext, hooks: BrokerHooks | BrokerHooks[]): Broker {
  const b = createBroker({ hooks })
  t.after(() => b.close())
  return b
}

function aclHooks(t: TestContext, acl: string): BrokerHooks {
  const d = mkdtempSync(join(tmpdir(), 'tsmqtt-subacl-'))
  t.after(() => rmSync(d, { recursive: true, force: true }))
  writeFileSync(join(d, 'acl'), acl)
  return createAuthHooks({ aclFile: join(d, 'acl'), allowAnonymous: true })
}

const ACL = 'topic read public/#\ntopic deny public/secret/#\ntopic write inbox/#\n'

for (const v of [4, 5] as const) {
  test(`v${v === 5 ? 5 : '3.1.1'}: filters the read ACL can never serve are refused (${v === 5 ? '0x87' : '0x80'}), the others granted`, async (t) => {
    const b = broker(t, aclHooks(t, ACL))
    const w = Wire.open(t, b)
    w.write(connect({ level: v, id: 'reader' }))
    await w.expect(CONNACK_OK[v])
    const p = v === 5 ? [0] : []
    const no = v === 5 ? 0x87 : 0x80
    // public/news, #, public/secret/x, inbox/a (write only), +/news, $share/g/public/+, $share/g/inbox/#
    w.write(pkt(0x82, [0, 1, ...p, ...str('public/news'), 1, ...str('#'), 0, ...str('public/secret/x'), 1, ...str('inbox/a'), 0,
      ...str('+/news'), 2, ...str('$share/g/public/+'), 1, ...str('$share/g/inbox/#'), 0]))
    await w.expect(pkt(0x90, [0, 1, ...p, 1, 0, no, no, 2, 1, no]))
    // '#' was granted, but delivery still checks each topic: only public/news arrives
    b.publish({ topic: 'inbox/a', payload: Buffer.from('no') })
    b.publish({ topic: 'public/secret/x', payload: Buffer.from('no') })
    b.publish({ topic: 'public/news', payload: Buffer.from('yes') })
    await w.expect(pkt(0x30, [...str('public/news'), ...p, ...Buffer.from('yes')]))
    await w.ping()
  })
}

test('hooks: authorizeSubscribe decides for each filter; authorizeRead alone answers for filters without wildcards', async (t) => {
  const b = broker(t, [
    { authorizeSubscribe: (_c, filter) => !filter.startsWith('forbidden/') },
    { authorizeRead: (_c, topic) => topic !== 'hidden' },
  ])
  const w = Wire.open(t, b)
  w.write(connect({ level: 5, id: 'h' }))
  await w.expect(CONNACK_OK[5])
  w.write(pkt(0x82, [0, 1, 0, ...str('forbidden/+'), 0, ...str('hidden'), 0, ...str('+'), 0, ...str('ok'), 0]))
  await w.expect(pkt(0x90, [0, 1, 0, 0x87, 0x87, 0, 0]))
})
