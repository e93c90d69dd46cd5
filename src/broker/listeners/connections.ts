// The sockets one listener has accepted: max_connections (refused and logged as mosquitto does), and the
// end of the listener's life (no socket outlives close() by more than a grace period).
import type net from 'node:net'

/** How long close() lets connections the broker is ending finish (their DISCONNECT, a WebSocket close frame). */
export const CLOSE_GRACE_MS = 2000

export class ListenerSockets {
  readonly #sockets = new Set<net.Socket>()
  #closing = false
  #graceTimer: NodeJS.Timeout | undefined

  constructor(private readonly maxConnections: number | undefined, private readonly log: (line: string) => void) {}

  get closing(): boolean { return this.#closing }

  /** A new TCP connection. Beyond max_connections it is closed at once and false returned. */
  admit(socket: net.Socket): boolean {
    if (this.#closing) { socket.destroy(); return false }
    const max = this.maxConnections
    if (max !== undefined && max >= 0 && this.#sockets.size >= max) {
      this.log(`Client connection from ${socket.remoteAddress ?? 'unknown'} denied: max_connections exceeded.`) // mosquitto's line
      socket.destroy()
      return false
    }
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
    socket.on('error', () => {}) // the stream's owner reports errors; an unowned socket must not crash the broker
    return true
  }

  /** Stop: whatever is still open after the grace period (a handshake in progress, a lingering close) is destroyed. */
  close(): void {
    this.#closing = true
    this.#graceTimer ??= setTimeout(() => this.destroyAll(), CLOSE_GRACE_MS).unref()
  }

  destroyAll(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer)
    for (const s of this.#sockets) s.destroy()
  }
}
