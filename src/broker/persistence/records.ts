// The store's records: what each change of the broker's durable state writes, and how reading a record
// back changes the Image (the state as the file describes it). Format version 1; every record starts with
// its type byte. Messages are written once (MSG) and referred to by number from everything that holds them.
import { propertyOrder, withPropertyOrder, type PropertyOrder } from '../../codec/index.js'
import type { OutState } from '../../core/session.js'
import type { ClientInfo } from '../hooks.js'
import type { Message } from '../message.js'
import type { BrokerSession, SubscriptionSnapshot } from '../session.js'
import { Reader, RecordError, type Writer } from './binary.js'

/** Record type bytes. */
export const R = { MSG: 1, RETAIN: 2, SESSION: 3, END: 4, SUB: 5, UNSUB: 6, OUT: 7, OUT_DONE: 8, INBOUND: 9 } as const

const STATES: readonly OutState[] = ['queued', 'puback', 'pubrec', 'pubcomp']

export interface ImageOut { msgId: number; qos: 1 | 2; retain: boolean; id: number; state: OutState; subIds: number[] | undefined }

export interface ImageSession {
  clientId: string
  expiryMs: number
  disconnectedAt: number
  willDueAt: number
  info: ClientInfo | undefined
  will: { msgId: number; delayMs: number } | undefined
  subs: Map<string, SubscriptionSnapshot>
  out: Map<number, ImageOut>
  inbound: Set<number>
}

/** The durable state as read from the file so far. */
export class Image {
  readonly messages = new Map<number, Message>()
  readonly retained = new Map<string, number>()
  readonly sessions = new Map<number, ImageSession>()
  maxMessageId = 0
  maxSessionNo = 0
}

// ---- writing -------------------------------------------------------------------------------------------

export function writeMessage(w: Writer, m: Message): void {
  w.u8(R.MSG)
  w.uint(m.storeId)
  w.str(m.topic)
  w.bytes(m.payload)
  w.u8(m.qos | (m.retain ? 4 : 0))
  w.f64(m.expiresAt)
  // the properties and, when the decoder recorded it, their wire order [MQTT-3.3.2-18] (v5)
  w.bytes(m.properties ? encodeJson([m.properties, propertyOrder(m.properties) ?? null]) : EMPTY)
}

export function writeRetain(w: Writer, topic: string, msgId: number): void {
  w.u8(R.RETAIN)
  w.str(topic)
  w.uint(msgId)
}

/** The session's own fields (not its subscriptions or messages); the will's message must be written first. */
export function writeSession(w: Writer, s: BrokerSession): void {
  w.u8(R.SESSION)
  w.uint(s.storeNo)
  w.str(s.clientId)
  w.f64(s.expiryMs)
  w.f64(s.disconnectedAt)
  w.f64(s.willDueAt)
  w.bytes(s.info ? encodeJson(s.info) : EMPTY)
  w.uint(s.will ? s.will.message.storeId : 0)
  w.f64(s.will ? s.will.delayMs : 0)
}

export function writeEnd(w: Writer, no: number): void {
  w.u8(R.END)
  w.uint(no)
}

export function writeSub(w: Writer, no: number, s: SubscriptionSnapshot): void {
  w.u8(R.SUB)
  w.uint(no)
  w.str(s.filter)
  w.u8(s.qos | (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | (s.retainHandling << 4))
  w.uint(s.id ?? 0)
}

export function writeUnsub(w: Writer, no: number, filter: string): void {
  w.u8(R.UNSUB)
  w.uint(no)
  w.str(filter)
}

export interface OutRecord { seq: number; msgId: number; qos: 1 | 2; retain: boolean; id: number; state: OutState; subIds: number[] | undefined }

export function writeOut(w: Writer, no: number, o: OutRecord): void {
  w.u8(R.OUT)
  w.uint(no)
  w.uint(o.seq)
  w.uint(o.msgId)
  w.u8(o.qos | (o.retain ? 4 : 0) | (STATES.indexOf(o.state) << 3))
  w.uint(o.id)
  const ids = o.subIds ?? []
  w.uint(ids.length)
  for (const id of ids) w.uint(id)
}

export function writeOutDone(w: Writer, no: number, seq: number): void {
  w.u8(R.OUT_DONE)
  w.uint(no)
  w.uint(seq)
}

export function writeInbound(w: Writer, no: number, id: number, added: boolean): void {
  w.u8(R.INBOUND)
  w.uint(no)
  w.uint(id)
  w.u8(added ? 1 : 0)
}

// ---- reading -------------------------------------------------------------------------------------------

/** A parsed record, applied later (a frame is applied whole or not at all). */
export type Op = (image: Image) => void

/** Parse every record in `body` (one frame); undefined when some bytes are no record. */
export function parseRecords(body: Buffer): Op[] | undefined {
  const r = new Reader(body)
  const ops: Op[] = []
  try {
    while (!r.done) ops.push(parseOne(r))
  } catch (e) {
    if (e instanceof RecordError) return undefined
    throw e
  }
  return ops
}

function parseOne(r: Reader): Op {
  const type = r.u8()
  switch (type) {
    case R.MSG: {
      const id = r.uint()
      const topic = r.str()
      const payload = r.bytes()
      const flags = r.u8()
      const expiresAt = r.f64()
      const props = r.bytes()
      const m: Message = {
        topic, payload, qos: (flags & 3) as 0 | 1 | 2, retain: (flags & 4) !== 0, expiresAt,
        properties: props.length ? decodeProperties(props) : undefined,
        encoded: undefined, refs: 0, storeId: id, freed: undefined,
      }
      return (image) => {
        image.messages.set(id, m)
        if (id > image.maxMessageId) image.maxMessageId = id
      }
    }
    case R.RETAIN: {
      const topic = r.str()
      const id = r.uint()
      return (image) => { if (id === 0) image.retained.delete(topic); else image.retained.set(topic, id) }
    }
    case R.SESSION: {
      const no = r.uint()
      const clientId = r.str()
      const expiryMs = r.f64()
      const disconnectedAt = r.f64()
      const willDueAt = r.f64()
      const infoBytes = r.bytes()
      const willMsg = r.uint()
      const willDelay = r.f64()
      const info = infoBytes.length ? decodeJson(infoBytes) as ClientInfo : undefined
      return (image) => {
        const old = image.sessions.get(no)
        image.sessions.set(no, {
          clientId, expiryMs, disconnectedAt, willDueAt, info,
          will: willMsg !== 0 ? { msgId: willMsg, delayMs: willDelay } : undefined,
          subs: old?.subs ?? new Map(), out: old?.out ?? new Map(), inbound: old?.inbound ?? new Set(),
        })
        if (no > image.maxSessionNo) image.maxSessionNo = no
      }
    }
    case R.END: { const no = r.uint(); return (image) => { image.sessions.delete(no) } }
    case R.SUB: {
      const no = r.uint()
      const filter = r.str()
      const flags = r.u8()
      const id = r.uint()
      const sub: SubscriptionSnapshot = {
        filter, qos: (flags & 3) as 0 | 1 | 2, noLocal: (flags & 4) !== 0, retainAsPublished: (flags & 8) !== 0,
        retainHandling: ((flags >> 4) & 3) as 0 | 1 | 2, id: id === 0 ? undefined : id,
      }
      return (image) => { image.sessions.get(no)?.subs.set(filter, sub) }
    }
    case R.UNSUB: {
      const no = r.uint()
      const filter = r.str()
      return (image) => { image.sessions.get(no)?.subs.delete(filter) }
    }
    case R.OUT: {
      const no = r.uint()
      const seq = r.uint()
      const msgId = r.uint()
      const flags = r.u8()
      const id = r.uint()
      const n = r.uint()
      const subIds: number[] = []
      for (let i = 0; i < n; i++) subIds.push(r.uint())
      const state = STATES[(flags >> 3) & 3]!
      const out: ImageOut = { msgId, qos: (flags & 3) === 2 ? 2 : 1, retain: (flags & 4) !== 0, id, state, subIds: n ? subIds : undefined }
      return (image) => { image.sessions.get(no)?.out.set(seq, out) }
    }
    case R.OUT_DONE: {
      const no = r.uint()
      const seq = r.uint()
      return (image) => { image.sessions.get(no)?.out.delete(seq) }
    }
    case R.INBOUND: {
      const no = r.uint()
      const id = r.uint()
      const added = r.u8() === 1
      return (image) => {
        const s = image.sessions.get(no)
        if (added) s?.inbound.add(id)
        else s?.inbound.delete(id)
      }
    }
    default: throw new RecordError(`unknown record type ${type}`)
  }
}

function decodeProperties(b: Buffer): Message['properties'] {
  const [props, order] = decodeJson(b) as [NonNullable<Message['properties']>, PropertyOrder | null]
  return order ? withPropertyOrder(props, order) : props
}

// ---- properties and client info: JSON with Buffers as {"$b": base64} -------------------------------------

const EMPTY = Buffer.alloc(0)

function encodeJson(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer' && Array.isArray((x as { data?: unknown }).data)) {
      return { $b: Buffer.from((x as { data: number[] }).data).toString('base64') }
    }
    return x
  }))
}

function decodeJson(b: Buffer): unknown {
  return JSON.parse(b.toString('utf8'), (_k, x: unknown) =>
    x && typeof x === 'object' && typeof (x as { $b?: unknown }).$b === 'string' ? Buffer.from((x as { $b: string }).$b, 'base64') : x)
}
