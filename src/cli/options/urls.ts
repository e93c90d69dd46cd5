// -L mqtt[s]://[user[:pass]@]host[:port]/topic (and ws[s]://, as mosquitto 2.1) and --proxy socks5h://[user[:pass]@]host[:port].
import { UsageError } from '../../core/errors.js'
import { atoi } from './c-numbers.js'
import { maskUrlPassword } from './secrets.js'
import type { ParseState } from './state.js'
import { addTopic } from './topic-args.js'
import type { ProxyConfig } from './types.js'

/** -L: sets host, port, username, password and topic at this point of argv (later options override). */
export function applyUrl(s: ParseState, url: string): void {
  let rest: string
  const lower = url.toLowerCase()
  // The ports are mosquitto 2.1's (1883 / 8883 for ws:// / wss:// too, whatever its man page says).
  if (lower.startsWith('mqtt://')) {
    rest = url.slice(7)
    s.port = 1883
  } else if (lower.startsWith('mqtts://')) {
    rest = url.slice(8)
    s.port = 8883
    s.tlsUseOsCerts = true
  } else if (lower.startsWith('ws://')) {
    rest = url.slice(5)
    s.port = 1883
    s.websockets = true
  } else if (lower.startsWith('wss://')) {
    rest = url.slice(6)
    s.port = 8883
    s.tlsUseOsCerts = true
    s.websockets = true
  } else {
    throw new UsageError('unsupported URL scheme.', 2)
  }
  const slash = rest.indexOf('/')
  if (slash < 0) throw new UsageError('Invalid URL for -L argument specified - topic missing.')
  addTopic(s, rest.slice(slash + 1), '-L topic')

  let authority = rest.slice(0, slash)
  const at = authority.indexOf('@')
  if (at >= 0) {
    // No percent-decoding, split at the first '@' and then the first ':' (as mosquitto does).
    const credentials = authority.slice(0, at)
    const colon = credentials.indexOf(':')
    if (colon >= 0) {
      s.password = credentials.slice(colon + 1)
      s.passwordSource = { kind: 'argv' }
      s.username = credentials.slice(0, colon)
    } else {
      s.username = credentials
    }
    authority = authority.slice(at + 1)
  }
  // Ours: what mosquitto would take as a host with '@' or a port that is no number is a password holding
  // '@' or '/' cut in pieces; connecting would send those pieces to DNS, or as the topic to the broker.
  if (authority.includes('@')) throw pieceOfPassword()
  const colon = authority.indexOf(':')
  if (colon >= 0) {
    const port = authority.slice(colon + 1)
    if (!/^\d+$/.test(port)) throw pieceOfPassword()
    s.host = authority.slice(0, colon)
    s.port = atoi(port)
  } else {
    s.host = authority
  }
}

const pieceOfPassword = () => new UsageError(
  "Invalid URL for -L argument specified - the port is not a number, or the host holds '@' (a password with '@' or '/' cannot be given in the URL: use --pw-file or TSMQTT_PASSWORD).",
)

const invalidProxy = () => new UsageError('Invalid proxy.')

/** %25 → %, %3A/%3a → :, %40 → @ (2.0.11 turns %40 into ':', a bug we do not copy). */
function urlDecode(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  return s.replace(/%(..|.?$)/g, (m) => {
    const code = m.slice(1)
    if (code === '25') return '%'
    if (code === '3A' || code === '3a') return ':'
    if (code === '40') return '@'
    throw invalidProxy()
  })
}

/** --proxy: mosquitto__parse_socks_url. Malformed URLs that mosquitto rejects silently get "Invalid proxy.". */
export function parseProxy(url: string): ProxyConfig {
  const scheme = 'socks5h://'
  if (!url.startsWith(scheme)) throw new UsageError(`Unsupported proxy protocol: ${maskUrlPassword(url)}`)
  const str = url.slice(scheme.length)
  let username: string | undefined, password: string | undefined, host: string | undefined
  let port: string | undefined, usernameOrHost: string | undefined
  let haveAuth = false
  let start = 0
  for (let i = 0; i < str.length; i++) {
    const c = str[i]
    if (c === ':') {
      if (i === start) throw invalidProxy()
      if (haveAuth) {
        if (host !== undefined) throw invalidProxy()
        host = str.slice(start, i)
        start = i + 1
      } else if (usernameOrHost === undefined) {
        usernameOrHost = str.slice(start, i)
        start = i + 1
      }
    } else if (c === '@') {
      if (i === start) throw invalidProxy()
      haveAuth = true
      if (usernameOrHost !== undefined) {
        username = usernameOrHost
        usernameOrHost = undefined
        password = str.slice(start, i)
      } else {
        if (username !== undefined) throw invalidProxy()
        username = str.slice(start, i)
      }
      start = i + 1
    }
  }
  if (str.length > start) {
    const tail = str.slice(start)
    if (host !== undefined) port = tail
    else if (usernameOrHost !== undefined) { host = usernameOrHost; port = tail }
    else host = tail
  }
  if (host === undefined) throw invalidProxy()
  const user = urlDecode(username)
  const pass = urlDecode(password)
  let portNumber = 1080
  if (port !== undefined) {
    portNumber = atoi(port)
    if (portNumber < 1 || portNumber > 65535) throw new UsageError(`Invalid proxy port ${portNumber}`)
  }
  const proxy: ProxyConfig = { host, port: portNumber }
  if (user !== undefined) proxy.username = user
  if (pass !== undefined) proxy.password = pass
  return proxy
}
