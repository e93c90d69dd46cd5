// A scripted broker for client tests: answers CONNECT with a chosen CONNACK and records what it got.
import net from 'node:net'
import type { TestContext } from 'node:test'
import { createDecoder, encode, type ConnackPacket, type Packet, type ProtocolVersion } from '../../src/codec/index.js'

type ConnackProperties = NonNullable<ConnackPacket['properties']>

export interface FakeBrokerScript {
  /** CONNACK code to answer with (v3 return code or v5 reason code); undefined = never answer. */
  connack?: number
  /** v5 CONNACK properties (e.g. a maximumPacketSize). */
  connackProperties?: ConnackProperties
  /** Called right after a successful CONNACK is written, in the same tick (e.g. a resumed session's queue). */
  afterConnack?: (send: (p: Packet) => void) => void
  /** Reply to each packet after CONNECT (return packets to send). */
  onPacket?: (p: Packet, send: (p: Packet) => void) => void
}

export interface FakeBroker { port: number; received: Packet[]; sockets: Set<net.Socket> }

export async function startFakeBroker(t: TestContext, script: FakeBrokerScript): Promise<FakeBroker> {
  const received: Packet[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let version: ProtocolVersion = 4
    const send = (p: Packet) => { if (!socket.destroyed) socket.write(encode(p, version)) }
    const d = createDecoder(undefined, (p) => {
      received.push(p)
      if (p.cmd === 'connect') {
        version = (p.protocolVersion ?? 4) as ProtocolVersion
        if (script.connack === undefined) return
        socket.cork() // CONNACK and whatever follows it leave in one segment, as mosquitto sends them
        process.nextTick(() => socket.uncork())
        send(version === 5
          ? { cmd: 'connack', sessionPresent: false, reasonCode: script.connack, ...(script.connackProperties ? { properties: script.connackProperties } : {}) }
          : { cmd: 'connack', sessionPresent: false, returnCode: script.connack })
        if (script.connack !== 0) socket.end()
        else script.afterConnack?.(send)
        return
      }
      script.onPacket?.(p, send)
    }, () => socket.destroy())
    socket.on('data', (c: Buffer) => d.push(c))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()) }))
  return { port: (server.address() as net.AddressInfo).port, received, sockets }
}

/**
 * A broker that "restarts" at the first PUBLISH of its first connection (every socket dropped) and acknowledges
 * QoS 1 afterwards: `byConnection[n]` holds the payloads connection n received (1-based), `connections()` how many
 * there were. For the reconnect-and-resend tests of tspub's line modes.
 */
export async function startDroppingBroker(t: TestContext): Promise<{ port: number; byConnection: string[][]; connections: () => number }> {
  let connection = 0
  const byConnection: string[][] = [[], [], []]
  const fake: FakeBroker = await startFakeBroker(t, {
    connack: 0,
    afterConnack: () => { connection++ },
    onPacket: (p, send) => {
      if (p.cmd !== 'publish') return
      byConnection[connection]!.push(Buffer.from(p.payload as Buffer).toString())
      if (connection === 1) for (const s of fake.sockets) s.destroy()
      else send({ cmd: 'puback', messageId: p.messageId! })
    },
  })
  return { port: fake.port, byConnection, connections: () => connection }
}
