// How the summaries name the broker: the URL of the endpoint tsbench connected to.
import type { Endpoint } from '../../core/endpoint.js'

export function brokerUrl(e: Endpoint): string {
  if (e.transport === 'unix') return `unix://${e.path}`
  const scheme = { tcp: 'mqtt', tls: 'mqtts', ws: 'ws', wss: 'wss' }[e.transport]
  const host = e.host.includes(':') ? `[${e.host}]` : e.host
  return `${scheme}://${host}:${e.port}${e.transport === 'ws' || e.transport === 'wss' ? e.path : ''}`
}
