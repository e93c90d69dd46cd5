// ClientConfig (what the user asked for) → where to connect and the ClientOptions: reads password and
// TLS files, asks for a password when told to, makes mosquitto's v3.1 client id.
import { readFile as readFileCb, readdir as readdirCb } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ConnectionOptions } from 'node:tls'
import type { ClientOptions } from '../client/client.js'
import { DEFAULT_WS_PATH, type Endpoint } from '../core/endpoint.js'
import { MqttError, TlsError } from '../core/errors.js'
import { strerror } from '../core/strerror.js'
import type { Io } from './io.js'
import { secretReader } from './terminal-secret.js'
import type { ClientConfig, TlsConfig } from './options/types.js'

/**
 * How the long-running commands (tssub, tspub -l) reconnect: every second, as libmosquitto's loop does with
 * mosquitto's defaults (reconnect_delay 1, reconnect_delay_max 1, no exponential backoff).
 */
export const CLI_RECONNECT = { initialDelayMs: 1000, maxDelayMs: 1000, factor: 1 } as const

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

// node:fs's callbacks, not node:fs/promises, and Math.random for the id (not a secret; V8 seeds it from the
// OS): every start of tspub, tssub and tsrr loads these modules, and neither node:crypto nor node:fs/promises
// is loaded otherwise (3.6 ms of a start, bench/RESULTS.md).
const readFile = promisify(readFileCb)
const readdir = promisify(readdirCb)

/** libmosquitto makes `mosq-` + 18 random alphanumerics for a v3.1 client without an id. */
export function v31ClientId(): string {
  let id = 'mosq-'
  for (let i = 0; i < 18; i++) id += ALNUM[Math.floor(Math.random() * ALNUM.length)]
  return id
}

export interface Connection { endpoint: Endpoint; options: ClientOptions }

/** The broker's address as the transport layer wants it: unix socket, or TCP/TLS, each maybe as WebSocket. */
export function endpointFor(c: ClientConfig): Endpoint {
  if (c.unixPath !== undefined) return { transport: 'unix', host: '', port: 0, path: c.unixPath }
  const transport = c.websockets ? (c.tls ? 'wss' : 'ws') : c.tls ? 'tls' : 'tcp'
  return { transport, host: c.host, port: c.port, path: c.websockets ? DEFAULT_WS_PATH : '' }
}

export async function resolveConnection(c: ClientConfig, io: Io, signal: AbortSignal, debug?: (l: string) => void): Promise<Connection> {
  const password = await resolvePassword(c, io, signal)
  const o: ClientOptions = {
    protocolVersion: c.protocolVersion,
    clientId: c.clientId === '' && c.protocolVersion === 3 ? v31ClientId() : c.clientId,
    clean: c.clean, keepalive: c.keepalive, maxInflight: c.maxInflight, noDelay: c.noDelay, signal,
  }
  if (c.bindAddress !== undefined) o.bindAddress = c.bindAddress
  if (c.proxy) o.proxy = c.proxy
  if (c.username !== undefined) o.username = c.username
  if (password !== undefined) o.password = Buffer.from(password)
  if (c.will) o.will = { ...c.will, ...(c.protocolVersion === 5 && c.properties.will ? { properties: c.properties.will } : {}) }
  if (c.protocolVersion === 5 && c.properties.connect) o.properties = c.properties.connect
  if (c.protocolVersion === 5 && c.properties.disconnect) o.disconnectProperties = c.properties.disconnect
  if (c.tls) o.tls = await tlsOptions(c.tls)
  if (debug) o.debug = debug
  return { endpoint: endpointFor(c), options: o }
}

async function resolvePassword(c: ClientConfig, io: Io, signal: AbortSignal): Promise<string | undefined> {
  const src = c.passwordSource
  if (src.kind === 'file') {
    try {
      const text = await readFile(src.path, 'utf8')
      return text.split(/\r?\n/, 1)[0] ?? ''
    } catch (e) {
      throw new MqttError(`Unable to read password file "${src.path}": ${strerror(e)}.`, 'ERR_PASSWORD_FILE')
    }
  }
  if (src.kind === 'prompt') {
    // Asked once per run: tssub reconnects with the same answer instead of asking again.
    let answer = prompted.get(c)
    if (!answer) prompted.set(c, answer = askPassword(io, signal))
    return answer
  }
  return c.password
}

const prompted = new WeakMap<ClientConfig, Promise<string>>()

/**
 * --pw-prompt: ask on the terminal without echo. The terminal is stdin when it is one (the prompt goes to
 * stderr, as the shell's `read -p` does), else the controlling terminal (`cat data | tspub -l --pw-prompt`,
 * as ssh does). With neither (cron, CI) there is nobody to ask: one line that says what to use instead.
 */
async function askPassword(io: Io, signal: AbortSignal): Promise<string> {
  const term = io.stdin.isTTY ? { input: io.stdin, output: io.stderr } : io.openTerminal?.()
  if (!term) {
    throw new MqttError('--pw-prompt needs a terminal to ask for the password, and there is none; use --pw-file or TSMQTT_PASSWORD.', 'ERR_PASSWORD_PROMPT')
  }
  const reader = secretReader(term)
  try {
    const answer = await reader.ask('Password: ', signal)
    if (answer.kind !== 'line') throw new MqttError('No password given.', 'ERR_PASSWORD_PROMPT')
    return answer.text
  } finally {
    if (term.input !== io.stdin) reader.close()
  }
}

async function tlsOptions(t: TlsConfig): Promise<ConnectionOptions> {
  const read = async (path: string) => {
    try { return await readFile(path) } catch { throw new TlsError('Problem setting TLS options: File not found.') }
  }
  const o: ConnectionOptions = { rejectUnauthorized: true }
  const ca: Buffer[] = []
  if (t.cafile) ca.push(await read(t.cafile))
  if (t.capath) {
    const names = await readdir(t.capath).catch(() => { throw new TlsError('Problem setting TLS options: File not found.') })
    for (const n of names) ca.push(await read(join(t.capath, n)).catch(() => Buffer.alloc(0)))
  }
  if (ca.length) o.ca = ca
  if (t.certfile) o.cert = await read(t.certfile)
  if (t.keyfile) o.key = await read(t.keyfile)
  if (t.ciphers) o.ciphers = t.ciphers
  if (t.alpn) o.ALPNProtocols = [t.alpn]
  if (t.version) {
    const v = ({ 'tlsv1.3': 'TLSv1.3', 'tlsv1.2': 'TLSv1.2', 'tlsv1.1': 'TLSv1.1' } as const)[t.version as 'tlsv1.3']
    if (!v) throw new TlsError('Problem setting TLS options, check the options are valid.')
    o.minVersion = v
    o.maxVersion = v
  }
  if (t.insecure) o.checkServerIdentity = () => undefined
  if (t.psk && t.pskIdentity) {
    const key = Buffer.from(t.psk, 'hex')
    const identity = t.pskIdentity
    o.pskCallback = () => ({ psk: key, identity })
    o.ciphers ??= 'PSK'
  }
  return o
}
