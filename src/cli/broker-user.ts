// mosquitto.conf `user`: a broker started as root gives up root once its listeners are bound (so ports below
// 1024 still work) with process.setgid/setuid, as mosquitto does; no native module, no effect when not root.
// Deviation: without a `user` line tsbroker keeps running as whoever started it (mosquitto defaults to
// `mosquitto`), so `sudo tsbroker -p 1883` and scripts run as root keep reading their own files.
import { execFileSync } from 'node:child_process'
import { ConfigError } from '../broker/config/index.js'
import { strerror } from '../core/strerror.js'

export interface Ids { uid: number; gid: number }

/** The user's uid and primary gid through id(1), which asks NSS (LDAP users too); undefined if unknown. */
export function lookupUser(name: string): Ids | undefined {
  const id = (flag: string) => Number(execFileSync('id', [flag, '--', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
  try {
    const ids = { uid: id('-u'), gid: id('-g') }
    return Number.isInteger(ids.uid) && Number.isInteger(ids.gid) ? ids : undefined
  } catch {
    return undefined
  }
}

export interface Privileges {
  isRoot(): boolean
  lookup(name: string): Ids | undefined
  /** initgroups, setgid, setuid, in that order (the group must change while we still may). */
  become(name: string, ids: Ids): void
}

export const processPrivileges: Privileges = {
  isRoot: () => process.geteuid?.() === 0,
  lookup: lookupUser,
  become(name, ids) {
    // Node has initgroups on POSIX, but @types/node 20 does not declare it.
    ;(process as unknown as { initgroups?: (user: string, group: number) => void }).initgroups?.(name, ids.gid)
    process.setgid?.(ids.gid)
    process.setuid?.(ids.uid)
  },
}

/** Drop to `user` when running as root; mosquitto's messages, and its fallback from `mosquitto` to `nobody`. */
export function dropPrivileges(user: string, warn: (line: string) => void, p: Privileges = processPrivileges): void {
  if (!p.isRoot() || user === 'root') return
  let name = user
  let ids = p.lookup(user)
  if (!ids) {
    if (user !== 'mosquitto') throw new ConfigError(`Unable to drop privileges to '${user}' because this user does not exist.`)
    warn(`Warning: Unable to drop privileges to '${user}' because this user does not exist. Trying 'nobody' instead.`)
    name = 'nobody'
    ids = p.lookup(name)
    if (!ids) throw new ConfigError("Unable to drop privileges to 'nobody'.")
  }
  try {
    p.become(name, ids)
  } catch (e) {
    throw new ConfigError(`Unable to drop privileges to '${name}': ${strerror(e)}.`)
  }
}
