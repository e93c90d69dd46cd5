// Throwaway CA, server (CN/SAN 127.0.0.1) and client certificates made by openssl for one test.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const haveOpenssl = spawnSync('openssl', ['version']).status === 0

/** Writes ca.crt/key, server.crt/key, client.crt/key into a new temp dir and returns it. */
export function makeCerts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-certs-'))
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
  }
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.crt'])
  for (const name of ['server', 'client']) {
    const cn = name === 'server' ? '127.0.0.1' : 'client'
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`])
    writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n')
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`])
  }
  return dir
}
