// Password hashes of mosquitto password files (reference §7.2), shared by tspasswd (writes) and the broker (reads).
//   $6$<salt>$<hash>                              SHA-512(password ‖ salt), mosquitto 1.6 and older
//   $7$<iterations>$<salt>$<hash>                 PBKDF2-HMAC-SHA512, dkLen 64 (mosquitto 2.0 default)
//   $argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>  Argon2id, libargon2's encoding (mosquitto 2.1)
// $6$/$7$ use padded standard base64, argon2id unpadded. Verification recomputes the hash from the stored
// parameters and compares in constant time; nothing derived from a plain-text password is kept.
import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const pbkdf2Async = promisify(pbkdf2)

export type HashType = 'argon2id' | 'sha512-pbkdf2' | 'sha512'

/** The `-H` names tspasswd accepts, mosquitto's spelling. */
export const HASH_TYPES: readonly HashType[] = ['argon2id', 'sha512-pbkdf2', 'sha512']

/**
 * PBKDF2 default: 210 000 iterations, OWASP's 2023 figure for PBKDF2-HMAC-SHA512 (~75 ms on a current
 * x86 core). mosquitto 2.0 writes 101 and 2.1 writes 1000, both cheap to brute-force offline.
 */
export const DEFAULT_PBKDF2_ITERATIONS = 210_000
/** 12 bytes: what a mosquitto 2.0 broker requires (it drops entries with 2.1's 64-byte salts, issue #3720). */
export const PBKDF2_SALT_BYTES = 12
/** mosquitto 2.1's argon2id parameters, so 2.1 brokers and we agree (t=1, m=47104 KiB, p=1, 64-byte salt and tag). */
export const ARGON2ID_PARAMS = { timeCost: 1, memoryCost: 47104, parallelism: 1, saltBytes: 64, hashBytes: 64 } as const

const HASH_BYTES = 64

/** A decoded password hash: everything needed to verify a password, no secret beyond the hash itself. */
export type ParsedHash =
  | { type: 'sha512'; salt: Buffer; hash: Buffer }
  | { type: 'sha512-pbkdf2'; iterations: number; salt: Buffer; hash: Buffer }
  | { type: 'argon2id'; version: number; memoryCost: number; timeCost: number; parallelism: number; salt: Buffer; hash: Buffer }

const B64_PADDED = /^[A-Za-z0-9+/]+={0,2}$/
const B64_UNPADDED = /^[A-Za-z0-9+/]+$/

function decodeB64(text: string | undefined, padded: boolean): Buffer | undefined {
  if (!text || !(padded ? B64_PADDED : B64_UNPADDED).test(text)) return undefined
  if (padded && text.length % 4 !== 0) return undefined
  const buf = Buffer.from(text, 'base64')
  return buf.length > 0 ? buf : undefined
}

const unpadded = (b: Buffer): string => b.toString('base64').replace(/=+$/, '')

function positiveInt(text: string | undefined): number | undefined {
  if (!text || !/^[0-9]{1,10}$/.test(text)) return undefined
  const n = Number(text)
  return n >= 1 && n <= 0xffffffff ? n : undefined
}

/** Decode a stored hash; undefined when it is not one of the three formats (e.g. a plain-text password). */
export function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$')
  if (parts[0] !== '') return undefined
  if (parts[1] === '6' && parts.length === 4) {
    const salt = decodeB64(parts[2], true)
    const hash = decodeB64(parts[3], true)
    return salt && hash?.length === HASH_BYTES ? { type: 'sha512', salt, hash } : undefined
  }
  if (parts[1] === '7' && parts.length === 5) {
    const iterations = positiveInt(parts[2])
    const salt = decodeB64(parts[3], true)
    const hash = decodeB64(parts[4], true)
    return iterations && salt && hash?.length === HASH_BYTES ? { type: 'sha512-pbkdf2', iterations, salt, hash } : undefined
  }
  if (parts[1] === 'argon2id' && parts.length === 6) return parseArgon2id(parts)
  return undefined
}

function parseArgon2id(parts: string[]): ParsedHash | undefined {
  const version = /^v=([0-9]+)$/.exec(parts[2] ?? '')
  const params = new Map<string, number | undefined>()
  // libargon2 writes m,t,p; the npm package writes m,p,t: accept any order, each key once.
  for (const kv of (parts[3] ?? '').split(',')) {
    const m = /^([mtp])=([0-9]+)$/.exec(kv)
    if (!m || params.has(m[1]!)) return undefined
    params.set(m[1]!, positiveInt(m[2]))
  }
  const [memoryCost, timeCost, parallelism] = [params.get('m'), params.get('t'), params.get('p')]
  const salt = decodeB64(parts[4], false)
  const hash = decodeB64(parts[5], false)
  if (!version || !memoryCost || !timeCost || !parallelism || !salt || !hash || salt.length < 8 || hash.length < 4) return undefined
  return { type: 'argon2id', version: Number(version[1]), memoryCost, timeCost, parallelism, salt, hash }
}

/** Serialise a parsed hash back to its text form (the inverse of parseHash). */
export function formatHash(h: ParsedHash): string {
  switch (h.type) {
    case 'sha512': return `$6$${h.salt.toString('base64')}$${h.hash.toString('base64')}`
    case 'sha512-pbkdf2': return `$7$${h.iterations}$${h.salt.toString('base64')}$${h.hash.toString('base64')}`
    case 'argon2id':
      return `$argon2id$v=${h.version}$m=${h.memoryCost},t=${h.timeCost},p=${h.parallelism}$${unpadded(h.salt)}$${unpadded(h.hash)}`
  }
}

type Params = DistributiveOmit<ParsedHash, 'hash'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

async function digest(password: Buffer, p: Params, hashLength: number): Promise<Buffer> {
  switch (p.type) {
    case 'sha512': return createHash('sha512').update(password).update(p.salt).digest()
    case 'sha512-pbkdf2': return pbkdf2Async(password, p.salt, p.iterations, HASH_BYTES, 'sha512')
    case 'argon2id': {
      // Loaded on first use: a broker without argon2id password entries never maps the native module (~3 MB).
      const argon2 = (await import('argon2')).default
      return argon2.hash(password, {
        type: argon2.argon2id, raw: true, version: p.version, memoryCost: p.memoryCost, timeCost: p.timeCost,
        parallelism: p.parallelism, salt: p.salt, hashLength,
      })
    }
  }
}

export interface HashOptions {
  type?: HashType
  /** PBKDF2 only (mosquitto ignores -I for the other types too). */
  iterations?: number
  /** Fixed salt, for test vectors only; normally random. */
  salt?: Buffer
}

/** Hash a password for a password file. Default: argon2id with mosquitto 2.1's parameters. */
export async function hashPassword(password: string | Buffer, o: HashOptions = {}): Promise<string> {
  const pw = Buffer.from(password)
  const type = o.type ?? 'argon2id'
  let params: Params
  if (type === 'argon2id') {
    const { timeCost, memoryCost, parallelism, saltBytes } = ARGON2ID_PARAMS
    params = { type, version: 0x13, timeCost, memoryCost, parallelism, salt: o.salt ?? randomBytes(saltBytes) }
  } else if (type === 'sha512-pbkdf2') {
    params = { type, iterations: o.iterations ?? DEFAULT_PBKDF2_ITERATIONS, salt: o.salt ?? randomBytes(PBKDF2_SALT_BYTES) }
  } else {
    params = { type, salt: o.salt ?? randomBytes(PBKDF2_SALT_BYTES) }
  }
  const hash = await digest(pw, params, type === 'argon2id' ? ARGON2ID_PARAMS.hashBytes : HASH_BYTES)
  return formatHash({ ...params, hash } as ParsedHash)
}

/** Does `password` match the stored hash? Constant-time comparison of equal-length digests. */
export async function verifyPassword(password: string | Buffer, stored: ParsedHash | string): Promise<boolean> {
  // An empty password never matches, not even a stored hash of "" (mosquitto refuses it too; issue 10 item 4).
  if (password.length === 0) return false
  const h = typeof stored === 'string' ? parseHash(stored) : stored
  if (!h) return false
  let calc: Buffer
  try {
    calc = await digest(Buffer.from(password), h, h.hash.length)
  } catch {
    return false // e.g. argon2 parameters the library refuses: a password cannot match them
  }
  return calc.length === h.hash.length && timingSafeEqual(calc, h.hash)
}

/** Is this text an encoded hash (so `-U` must not hash it again)? */
export function isHashed(encoded: string): boolean {
  return parseHash(encoded) !== undefined
}
