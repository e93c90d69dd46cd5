// What no output may show: the mask, and where secrets hide in words a user typed (a URL's password,
// a password glued to -P). Used by --print-config and by the errors that repeat a user's words.
import { MASK, maskUrlPassword } from '../../core/mask.js'

export { MASK, maskUrlPassword } from '../../core/mask.js'

/** The environment variable that carries a password (used when a username is given). */
export const PASSWORD_ENV = 'TSMQTT_PASSWORD'

/** The options whose value is a secret; glued to one of them (`-Psecret`, `--psk=…`), the rest of the word is too. */
const SECRET_PREFIXES = [/^(-P)./, /^(--pw=)/, /^(--psk=)/, /^(--tls-engine-kpass-sha1=)/] as const

/**
 * A word that is no option but may hold a secret, as an error repeats it: a value glued to a secret option is
 * masked whole (`-P********`), a URL anywhere in it loses its password (`-Lmqtt://u:********@h/t`,
 * `--proxy=socks5h://u:********@p`).
 */
export function maskGluedSecret(word: string): string {
  for (const re of SECRET_PREFIXES) {
    const m = re.exec(word)
    if (m) return `${m[1]}${MASK}`
  }
  return word.includes('://') ? maskUrlPassword(word) : word
}
