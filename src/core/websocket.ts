// MQTT over WebSocket, shared by the client transport and the broker's listeners: the subprotocol, binary
// frames, and a byte stream over a `ws` WebSocket so the rest of the code sees a Duplex like any socket.
// Why `ws`: the handshake, framing, masking and close codes are a protocol of their own; ws is the maintained
// implementation MQTT.js also uses. This module is loaded only when a WebSocket is used (it imports nothing
// from `ws` at run time; callers load `ws` themselves).
import { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { ProtocolError } from './errors.js'

/** [MQTT-6.0.0-3], [MQTT-6.0.0-4]: the client offers "mqtt" and the server selects it. */
export const MQTT_SUBPROTOCOL = 'mqtt'

/** Largest MQTT packet: 268,435,455 bytes of remaining length plus a 5-byte fixed header. */
export const MAX_MQTT_PACKET = 268_435_455 + 5

/** Server side: "mqtt", or "mqttv3.1" for MQTT 3.1 clients that ask for that; false refuses the upgrade. */
export function selectSubprotocol(offered: ReadonlySet<string>): string | false {
  if (offered.has(MQTT_SUBPROTOCOL)) return MQTT_SUBPROTOCOL
  return offered.has('mqttv3.1') ? 'mqttv3.1' : false
}

/** WebSocket close code 1003: "unsupported data" (a text frame). */
const UNSUPPORTED_DATA = 1003

/**
 * A Duplex over an open WebSocket: writes go out as binary frames [MQTT-6.0.0-1], frames are read as a byte
 * stream with no alignment to packets [MQTT-6.0.0-2], and reading pauses the socket when the consumer is
 * behind. A text frame closes the connection [MQTT-6.0.0-1].
 */
export function webSocketDuplex(ws: WebSocket): Duplex {
  const stream = new Duplex({
    read() { if (ws.isPaused) ws.resume() },
    write(chunk: Buffer, _encoding, callback) {
      if (chunk.length === 0) return callback() // a flush marker (write('')), not a frame
      ws.send(chunk, { binary: true }, callback)
    },
    final(callback) {
      if (ws.readyState === ws.OPEN) ws.close(1000)
      callback()
    },
    destroy(err, callback) {
      if (err) ws.terminate()
      else if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000)
      callback(err)
    },
  })
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      ws.close(UNSUPPORTED_DATA)
      stream.destroy(new ProtocolError(0x81, 'MQTT over WebSocket needs binary frames')) // [MQTT-6.0.0-1]
      return
    }
    if (!stream.push(data)) ws.pause()
  })
  ws.once('close', () => { stream.push(null) })
  ws.on('error', (e) => stream.destroy(e))
  return stream
}
