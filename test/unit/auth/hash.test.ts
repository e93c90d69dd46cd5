import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ARGON2ID_PARAMS, DEFAULT_PBKDF2_ITERATIONS, PBKDF2_SALT_BYTES, formatHash, hashPassword, isHashed, parseHash, verifyPassword,
} from '../../../src/auth/hash.js'

// Reference §7.3: lines written by mosquitto_passwd 2.0.11 (random salts), password s3cret.
const WRITTEN_BY_MOSQUITTO = [
  '$7$101$h5ViMb3KI3SHljMJ$2hnO62G4qCOLR15yGnaOfpkjLSBN6beSCgZTT+lxx3ODWBvVeTRCZc/vagkIgdbpj86igdjwKykau0U1MFU7ag==',
  '$6$7khQEoVKVYOg/NrY$uNUeLTwNrlTPSCOs2sRjffNHZ8gVLjPQUxKvPBvuO1CYbeeJbgH+m/DUyma2M4FbwhDfmQmRRbndPATwLIvVGA==',
  '$7$1000$t1NEZqr0zgilvuoF$9Lp4iSWCTx/AKAKpdViFldQwRUO+q2drlsDLEksx17E2nZDwNpySpX8vrChqjHOKyStHpAd2iybKgqqhVl+WGg==',
]
for (const line of WRITTEN_BY_MOSQUITTO) {
  test(`mosquitto 2.0.11 hash ${line.slice(0, 12)}… verifies s3cret and rejects s3creT`, async () => {
    assert.equal(await verifyPassword('s3cret', line), true)
    assert.equal(await verifyPassword('s3creT', line), false)
  })
}

// Reference §7.3 deterministic vectors: salt = bytes 0..n-1, password s3cret.
const salt = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i))
const SALT64_B64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw'
const VECTORS: ReadonlyArray<[name: string, opts: Parameters<typeof hashPassword>[1], expected: string]> = [
  ['$7$ 101 iterations, 12-byte salt', { type: 'sha512-pbkdf2', iterations: 101, salt: salt(12) },
    '$7$101$AAECAwQFBgcICQoL$IpgH3VQ91wmfiqnHyCcv5LkCSTVCZJR4RN98JP+Z86mYpyKLciwvQFATmKYSP1f5GH3TSr/yHeGj1Fz1SoMhag=='],
  ['$6$ 12-byte salt', { type: 'sha512', salt: salt(12) },
    '$6$AAECAwQFBgcICQoL$9adGnvXbm0yY3NRbGOh93Sh6RlEQLWVTN8azzdKn9qLsAisk4YqJ5OyrOqbOkJxjY0YEq5DqRYWUQZgdzzbbpQ=='],
  ['$7$ 1000 iterations, 64-byte salt (2.1 style)', { type: 'sha512-pbkdf2', iterations: 1000, salt: salt(64) },
    `$7$1000$${SALT64_B64}==$54jarRECurARoVBAWdgV2addLeyUZBRQTbO6vF43ebLYfujC/fxH5DA1roVtEXNPz7yYaeKMv/H5fc6AgDxk7A==`],
  ['argon2id, mosquitto 2.1 parameters', { type: 'argon2id', salt: salt(64) },
    `$argon2id$v=19$m=47104,t=1,p=1$${SALT64_B64}$aF9LGXBkEoiOUik2tyfZ0KkRaBjcoieC37QaHCPwK9BOFjhdUEkXL+rBYixZy8ssfdE4wD8vude2PJjJdVrtng`],
]
for (const [name, opts, expected] of VECTORS) {
  test(`reference vector: ${name} is written byte for byte`, async () => {
    assert.equal(await hashPassword('s3cret', opts), expected)
  })
  test(`reference vector: ${name} verifies`, async () => {
    assert.equal(await verifyPassword('s3cret', expected), true)
    assert.equal(await verifyPassword('s3cret ', expected), false)
  })
}

test('argon2id in the npm package order (m,p,t) is read too', async () => {
  const line = `$argon2id$v=19$m=47104,p=1,t=1$${SALT64_B64}$aF9LGXBkEoiOUik2tyfZ0KkRaBjcoieC37QaHCPwK9BOFjhdUEkXL+rBYixZy8ssfdE4wD8vude2PJjJdVrtng`
  assert.equal(await verifyPassword('s3cret', line), true)
})

test('defaults: argon2id with 64-byte salt and tag; $7$ with a 12-byte salt and 210000 iterations', async () => {
  const a = parseHash(await hashPassword('pw'))
  assert.equal(a?.type, 'argon2id')
  assert.equal(a?.salt.length, ARGON2ID_PARAMS.saltBytes)
  assert.equal(a?.hash.length, ARGON2ID_PARAMS.hashBytes)
  const p = parseHash(await hashPassword('pw', { type: 'sha512-pbkdf2' }))
  assert.ok(p?.type === 'sha512-pbkdf2')
  assert.equal(p.iterations, DEFAULT_PBKDF2_ITERATIONS)
  assert.equal(p.salt.length, PBKDF2_SALT_BYTES) // mosquitto 2.0 brokers drop any other salt length
  assert.equal(p.hash.length, 64)
})

test('two hashes of one password differ (random salt)', async () => {
  assert.notEqual(await hashPassword('pw', { type: 'sha512' }), await hashPassword('pw', { type: 'sha512' }))
})

test('-I iterations are written into $7$', async () => {
  assert.match(await hashPassword('pw', { type: 'sha512-pbkdf2', iterations: 5 }), /^\$7\$5\$/)
})

test('formatHash(parseHash(x)) === x for each format', () => {
  for (const [, , line] of VECTORS) assert.equal(formatHash(parseHash(line)!), line)
})

const NOT_HASHES = [
  'plaintext', '', '$', '$6$', '$6$AAECAwQFBgcICQoL$', '$7$0$AAECAwQFBgcICQoL$' + 'A'.repeat(86) + '==',
  '$7$x$AAECAwQFBgcICQoL$' + 'A'.repeat(86) + '==',
  '$6$AAECAwQFBgcICQoL$c2hvcnQ=', // hash is not 64 bytes
  '$6$AAEC!wQFBgcICQoL$' + 'A'.repeat(86) + '==', // not base64
  '$5$abc$def', '$argon2i$v=19$m=8,t=1,p=1$AAECAwQFBgcICQoL$AAECAwQFBgcICQoL',
  '$argon2id$v=19$m=8,t=1,t=1$AAECAwQFBgcICQoL$AAECAwQFBgcICQoL', // duplicate key
  '$argon2id$v=19$m=8,t=1$AAECAwQFBgcICQoL$AAECAwQFBgcICQoL', // p missing
]
for (const s of NOT_HASHES) {
  test(`${JSON.stringify(s.slice(0, 30))} is not a hash: -U would hash it, the broker refuses it`, async () => {
    assert.equal(isHashed(s), false)
    assert.equal(await verifyPassword(s, s), false)
  })
}

test('a hashed entry is recognised (so -U leaves it alone)', () => {
  for (const line of WRITTEN_BY_MOSQUITTO) assert.equal(isHashed(line), true)
})

test('an empty password never matches, not even a stored hash of "" (issue 10 item 4; mosquitto refuses it too)', async () => {
  for (const type of ['argon2id', 'sha512-pbkdf2', 'sha512'] as const) {
    const stored = await hashPassword('', { type, ...(type === 'sha512-pbkdf2' ? { iterations: 1000 } : {}) })
    assert.equal(await verifyPassword('', stored), false, type)
    assert.equal(await verifyPassword(Buffer.alloc(0), stored), false, type)
    assert.equal(await verifyPassword('x', stored), false, type)
  }
})
