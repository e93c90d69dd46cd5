// TLS listener settings (certificates as bytes or paths, CA directories, the minimum version, client
// certificates) → Node's tls options, with mosquitto's error lines when a file cannot be used.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { TLSSocket, TlsOptions } from 'node:tls'
import { MqttError } from '../../core/errors.js'
import type { Pem, TlsMaterial } from './types.js'

/** A listener that cannot be opened (bad TLS material, a websockets listener on a unix socket, …). */
export class ListenerError extends MqttError {
  constructor(message: string) { super(message, 'ERR_LISTENER') }
}

const VERSIONS = { 'tlsv1.3': 'TLSv1.3', 'tlsv1.2': 'TLSv1.2', 'tlsv1.1': 'TLSv1.1' } as const

/** `message`: mosquitto's line for the file that cannot be read. */
function load(pem: Pem, message: (path: string) => string): Buffer {
  if (Buffer.isBuffer(pem)) return pem
  try {
    return readFileSync(pem)
  } catch {
    throw new ListenerError(message(pem))
  }
}

export function tlsOptions(m: TlsMaterial): TlsOptions {
  const ca: Buffer[] = []
  const cas = m.ca === undefined ? [] : Array.isArray(m.ca) ? m.ca : [m.ca as Pem]
  for (const c of cas) ca.push(load(c, (p) => `Unable to load CA certificates. Check cafile "${p}".`))
  if (m.caPath !== undefined) {
    let names: string[]
    try {
      names = readdirSync(m.caPath).filter((n) => /\.(pem|crt)$/.test(n)).sort()
    } catch {
      throw new ListenerError(`Unable to load CA certificates. Check capath "${m.caPath}".`)
    }
    for (const n of names) ca.push(load(join(m.caPath, n), () => `Unable to load CA certificates. Check capath "${m.caPath}".`))
  }
  if (m.useIdentityAsUsername && !m.requireCertificate) {
    throw new ListenerError('use_identity_as_username needs require_certificate true on the same listener.')
  }
  const o: TlsOptions = {
    cert: load(m.cert, (p) => `Unable to load server certificate "${p}". Check certfile.`),
    key: load(m.key, (p) => `Unable to load server key file "${p}". Check keyfile.`),
    ...(ca.length ? { ca } : {}),
    requestCert: m.requireCertificate === true,
    rejectUnauthorized: m.requireCertificate === true,
    // mosquitto's tls_version is the lowest version allowed; without it, TLS 1.2 and 1.3.
    minVersion: VERSIONS[m.version ?? 'tlsv1.2'],
    ...(m.ciphers !== undefined ? { ciphers: m.ciphers } : {}),
  }
  return o
}

/** use_identity_as_username: the Common Name of the verified client certificate, or null if it has none. */
export function certificateUsername(socket: TLSSocket): string | null {
  const cn = socket.getPeerCertificate()?.subject?.CN
  const name = Array.isArray(cn) ? cn[0] : cn
  return typeof name === 'string' && name !== '' ? name : null
}
