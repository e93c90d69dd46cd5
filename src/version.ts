// The package version. The bundled CLIs get it baked in at build time (scripts/bundle.mjs defines
// __TSMQTT_VERSION__); the plain compiled modules read package.json, two levels above build/src/.
import { readFileSync } from 'node:fs'

declare const __TSMQTT_VERSION__: string | undefined

let cached: string | undefined

export function packageVersion(): string {
  if (cached !== undefined) return cached
  if (typeof __TSMQTT_VERSION__ === 'string') return (cached = __TSMQTT_VERSION__)
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
    cached = pkg.version ?? 'unknown'
  } catch {
    cached = 'unknown'
  }
  return cached
}
