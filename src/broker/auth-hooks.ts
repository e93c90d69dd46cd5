// mosquitto's default security for tsbroker: password_file, allow_anonymous, acl_file and
// per_listener_settings (reference §7.2, §9), as BrokerHooks. Files are read at creation (errors throw, so
// tsbroker refuses to start as mosquitto does) and again on reload() (SIGHUP); a failed reload keeps the
// tables in force. Passwords are verified against the stored hashes on every CONNECT; nothing is cached.
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { aclAllows, aclAllowsSubscribe, parseAcl, type AclTable } from '../auth/acl.js'
import { parseHash, verifyPassword, type ParsedHash } from '../auth/hash.js'
import { entries, invalidLineWarnings, parsePasswordFile } from '../auth/password-file.js'
import { MqttError } from '../core/errors.js'
import { strerror } from '../core/strerror.js'
import type { AuthResult, BrokerHooks, ClientInfo, ConnectInfo } from './hooks.js'

/** The security options of one listener, or of the whole broker (mosquitto.conf names in comments). */
export interface SecuritySettings {
  /** `password_file`: users must give a listed user name and its password. */
  readonly passwordFile?: string
  /** `acl_file`: topic access rules; absent = every client may read and write everything. */
  readonly aclFile?: string
  /**
   * `allow_anonymous`: may clients without a user name connect? mosquitto's default is false as soon as a
   * listener is configured and true in local-only mode; the config parser decides, so it is required here.
   * Without a password_file, false refuses every client, with or without a user name (mosquitto 2.0, obs).
   */
  readonly allowAnonymous: boolean
}

export interface AuthSettings extends SecuritySettings {
  /** `per_listener_settings true`: each listener uses its own entry in `listeners`. */
  readonly perListenerSettings?: boolean
  /**
   * Per-listener security, keyed like ClientInfo.listener (the port as a string, "inline" for
   * broker.handle()). Only read when perListenerSettings is true; a listener without an entry uses the
   * top-level settings.
   */
  readonly listeners?: Readonly<Record<string, SecuritySettings>>
  /** Non-fatal findings while loading (dropped password entries, ACL warnings), mosquitto's wording. */
  readonly onWarning?: (message: string) => void
}

/**
 * The hooks tsbroker's security options need, and only those: without any acl_file there are no authorize*
 * hooks, and when every scope allows anonymous clients without a password file there is no authenticate
 * hook, so the broker's CONNECT and PUBLISH paths stay synchronous (and as fast as with no hooks at all).
 */
export interface AuthHooks extends Pick<BrokerHooks, 'authenticate' | 'authorizePublish' | 'authorizeRead' | 'authorizeSubscribe'> {
  /** Re-read every password and ACL file (tsbroker calls this on SIGHUP). Rejects, keeping the old tables, on error. */
  reload(): Promise<void>
}

/** A password_file or acl_file that cannot be used; the message is the line tsbroker prints. */
export class AuthConfigError extends MqttError {
  constructor(message: string) { super(message, 'ERR_AUTH_CONFIG') }
}

interface Loaded {
  readonly settings: SecuritySettings
  readonly users: ReadonlyMap<string, ParsedHash> | undefined
  readonly acl: AclTable | undefined
}

/** v5 135 "Not authorized" (v3 clients get 5): what mosquitto 2.0 answers for a bad password too (obs, §3). */
const NOT_AUTHORIZED: AuthResult = { ok: false, reasonCode: 135 }
const OK: AuthResult = { ok: true }

export function createAuthHooks(settings: AuthSettings): AuthHooks {
  const warn = settings.onWarning ?? (() => {})
  const scopes = (): Array<[string | undefined, SecuritySettings]> => [
    [undefined, settings],
    ...(settings.perListenerSettings ? Object.entries(settings.listeners ?? {}) : []),
  ]
  const loadAllSync = () => new Map(scopes().map(([k, s]) => [k, load(s, readFileSync, warn)] as const))
  let tables: Map<string | undefined, Loaded> = loadAllSync()

  const scopeOf = (c: ClientInfo): Loaded =>
    (settings.perListenerSettings ? tables.get(c.listener) : undefined) ?? tables.get(undefined)!

  const all = scopes().map(([, s]) => s)
  const checksLogin = all.some((s) => !s.allowAnonymous || s.passwordFile !== undefined)
  const checksAcl = all.some((s) => s.aclFile !== undefined)
  const hooks: Required<AuthHooks> & { reload(): Promise<void> } = {
    async authenticate(c: ConnectInfo): Promise<AuthResult> {
      const { settings: s, users } = scopeOf(c)
      if (c.username === undefined) return s.allowAnonymous ? OK : NOT_AUTHORIZED
      if (!users) return s.allowAnonymous ? OK : NOT_AUTHORIZED
      const stored = users.get(c.username)
      if (!stored || c.password === undefined) return NOT_AUTHORIZED
      return (await verifyPassword(c.password, stored)) ? OK : NOT_AUTHORIZED
    },
    authorizePublish(c: ClientInfo, topic: string): boolean {
      const { acl } = scopeOf(c)
      return !acl || aclAllows(acl, c, topic, 'write')
    },
    authorizeRead(c: ClientInfo, topic: string): boolean {
      const { acl } = scopeOf(c)
      return !acl || aclAllows(acl, c, topic, 'read')
    },
    authorizeSubscribe(c: ClientInfo, filter: string): boolean {
      const { acl } = scopeOf(c)
      return !acl || aclAllowsSubscribe(acl, c, filter)
    },
    async reload(): Promise<void> {
      const next = new Map<string | undefined, Loaded>()
      for (const [k, s] of scopes()) next.set(k, await loadAsync(s, warn))
      tables = next
    },
  }
  const { authenticate, authorizePublish, authorizeRead, authorizeSubscribe, reload } = hooks
  return {
    reload,
    ...(checksLogin ? { authenticate } : {}),
    ...(checksAcl ? { authorizePublish, authorizeRead, authorizeSubscribe } : {}),
  }
}

type ReadText = (path: string, encoding: 'utf8') => string

function load(s: SecuritySettings, read: ReadText, warn: (m: string) => void): Loaded {
  const text = (path: string, what: string) => {
    try {
      return read(path, 'utf8')
    } catch (err) {
      throw new AuthConfigError(`Error: Unable to open ${what} "${path}". ${strerror(err)}.`)
    }
  }
  return build(s, s.passwordFile && text(s.passwordFile, 'pwfile'), s.aclFile && text(s.aclFile, 'acl_file'), warn)
}

async function loadAsync(s: SecuritySettings, warn: (m: string) => void): Promise<Loaded> {
  const files = new Map<string, string>()
  for (const [path, what] of [[s.passwordFile, 'pwfile'], [s.aclFile, 'acl_file']] as const) {
    if (!path) continue
    try {
      files.set(path, await readFile(path, 'utf8'))
    } catch (err) {
      throw new AuthConfigError(`Error: Unable to open ${what} "${path}". ${strerror(err)}.`)
    }
  }
  return load(s, (p) => files.get(p)!, warn)
}

function build(s: SecuritySettings, pwText: string | undefined, aclText: string | undefined, warn: (m: string) => void): Loaded {
  let users: Map<string, ParsedHash> | undefined
  if (pwText !== undefined) {
    users = new Map()
    const file = parsePasswordFile(pwText)
    invalidLineWarnings(file, s.passwordFile!).forEach((w) => warn(w))
    for (const [user, secret] of entries(file)) {
      const h = parseHash(secret)
      // As mosquitto: an entry it cannot decode is dropped (that user cannot log in), the rest still work.
      if (h) users.set(user, h)
      else warn(`Error: Unable to decode password for user ${user}, removing entry.`)
    }
  }
  let acl: AclTable | undefined
  if (aclText !== undefined) {
    try {
      acl = parseAcl(aclText, s.aclFile!)
    } catch (err) {
      throw new AuthConfigError((err as Error).message)
    }
    acl.warnings.forEach((w) => warn(w))
  }
  return { settings: s, users, acl }
}
