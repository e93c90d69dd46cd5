// Every kind of listener the broker serves, behind one interface; WebSocket code is loaded only when used.
import { ListenerError } from './tls-material.js'
import { socketListener } from './socket-listener.js'
import type { Listener, ListenerContext, ListenSpec } from './types.js'

export { ListenerError } from './tls-material.js'
export type * from './types.js'

export async function createListener(spec: ListenSpec, ctx: ListenerContext): Promise<Listener> {
  if (spec.type === 'ws' || spec.type === 'wss') {
    if (spec.type === 'wss' && !spec.tls) throw new ListenerError('A wss listener needs TLS material (tls).')
    const { webSocketListener } = await import('./ws-listener.js')
    return webSocketListener(spec, ctx)
  }
  return socketListener(spec, ctx)
}
