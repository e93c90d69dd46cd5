// What no output may show: the mask, and where secrets hide in words a user typed (a URL's password,
// a password glued to -P). Used by --print-config and by the errors that repeat a user's words.
import { MASK } from '../../core/mask.js'

export { MASK, maskUrlPassword } from '../../core/mask.js'

/** The environment variable that carries a password (used when a username is given). */
export const PASSWORD_ENV = 'TSMQTT_PASSWORD'

/** `-Psecret` is no option, but it is a password: the error shows only `-P********`. */
export function maskGluedSecret(word: string): string {
  return /^-P./.test(word) ? `-P${MASK}` : word.startsWith('--pw=') ? `--pw=${MASK}` : word
}

