// The Image read from the file, turned into what the broker restores: retained messages and session
// snapshots whose messages are the shared Message objects (one per stored message, however many hold it).
import type { Delivery } from '../message.js'
import type { BrokerSessionSnapshot } from '../session.js'
import type { OutboundSnapshot } from '../../core/session.js'
import type { LoadedState } from './durable-store.js'
import type { Image } from './records.js'

export interface Loaded extends LoadedState {
  /** Each restored session's number in the file, by client id. */
  readonly numbers: ReadonlyMap<string, number>
  /** References to messages the file does not hold (a damaged file); they are left out. */
  readonly missing: number
}

export function toLoadedState(image: Image): Loaded {
  let missing = 0
  const message = (id: number) => {
    const m = image.messages.get(id)
    if (m === undefined) missing++
    return m
  }
  const retained = []
  for (const id of image.retained.values()) {
    const m = message(id)
    if (m) retained.push(m)
  }
  const sessions = new Map<string, BrokerSessionSnapshot>()
  const numbers = new Map<string, number>()
  // A client id has one session; should a damaged file hold two, the newer (higher number) wins.
  for (const [no, s] of [...image.sessions].sort((a, b) => a[0] - b[0])) {
    const outbound: OutboundSnapshot<Delivery>[] = []
    for (const seq of [...s.out.keys()].sort((a, b) => a - b)) {
      const o = s.out.get(seq)!
      const m = message(o.msgId)
      if (m) outbound.push({ tag: { message: m, retain: o.retain, subIds: o.subIds }, qos: o.qos, seq, id: o.id, state: o.state })
    }
    // In flight first (in send order, which is their order of arrival), then the queue.
    outbound.sort((a, b) => Number(a.state === 'queued') - Number(b.state === 'queued') || a.seq - b.seq)
    const willMessage = s.will ? message(s.will.msgId) : undefined
    sessions.set(s.clientId, {
      clientId: s.clientId, expiryMs: s.expiryMs, disconnectedAt: s.disconnectedAt, info: s.info,
      will: s.will && willMessage ? { message: willMessage, delayMs: s.will.delayMs } : undefined,
      willDueAt: willMessage ? s.willDueAt : 0,
      subscriptions: [...s.subs.values()],
      messages: { outbound, inbound: [...s.inbound] },
    })
    numbers.set(s.clientId, no)
  }
  return { retained, sessions: [...sessions.values()], numbers, missing }
}
