// A bridge's TLS towards its remote (bridge_cafile, bridge_capath, bridge_certfile, bridge_keyfile,
// bridge_insecure, bridge_tls_version, bridge_alpn) → Node's tls.connect options, files read once at start.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ConnectionOptions } from 'node:tls'
import type { Pem } from '../listeners/types.js'
import { BridgeConfigError } from './bridge-error.js'
import type { BridgeTls } from './spec.js'

const VERSIONS = { 'tlsv1.3': 'TLSv1.3', 'tlsv1.2': 'TLSv1.2', 'tlsv1.1': 'TLSv1.1' } as const

function load(pem: Pem, what: string, bridge: string): Buffer {
  if (Buffer.isBuffer(pem)) return pem
  try {
    return readFileSync(pem)
  } catch {
    throw new BridgeConfigError(`Unable to load ${what} "${pem}".`, bridge)
  }
}

export function bridgeTlsOptions(t: BridgeTls, name: string): ConnectionOptions {
  const ca: Buffer[] = []
  const cas = t.ca === undefined ? [] : Array.isArray(t.ca) ? t.ca : [t.ca as Pem]
  for (const c of cas) ca.push(load(c, `bridge ${name} CA certificates. Check bridge_cafile`, name))
  if (t.caPath !== undefined) {
    let names: string[]
    try {
      names = readdirSync(t.caPath).filter((n) => /\.(pem|crt)$/.test(n)).sort()
    } catch {
      throw new BridgeConfigError(`Unable to load bridge ${name} CA certificates. Check bridge_capath "${t.caPath}".`, name)
    }
    for (const n of names) ca.push(load(join(t.caPath, n), `bridge ${name} CA certificates. Check bridge_capath`, name))
  }
  const o: ConnectionOptions = {
    ...(ca.length > 0 ? { ca } : {}),
    ...(t.cert !== undefined ? { cert: load(t.cert, `bridge ${name} certificate. Check bridge_certfile`, name) } : {}),
    ...(t.key !== undefined ? { key: load(t.key, `bridge ${name} key. Check bridge_keyfile`, name) } : {}),
    rejectUnauthorized: true, // the chain is always verified, as mosquitto's SSL_VERIFY_PEER
    minVersion: VERSIONS[t.version ?? 'tlsv1.2'],
    ...(t.alpn !== undefined ? { ALPNProtocols: [t.alpn] } : {}),
  }
  // bridge_insecure: the certificate need not name the host (mosquitto: "using insecure mode")
  if (t.insecure) o.checkServerIdentity = () => undefined
  return o
}
