// --completion: the generated scripts name every flag of the option table (and no flag the tool refuses),
// in each shell's own syntax, with the values of the enumerated flags. The scripts are run by real shells
// in test/integration/completion.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { completionScript } from '../../../src/cli/completion/index.js'
import { clientCompletionSpec } from '../../../src/cli/options/completion-spec.js'
import { OPTIONS } from '../../../src/cli/options/option-table.js'
import { parseArgs } from '../../../src/cli/options/index.js'
import { INFO_FLAGS, PASSWD_FLAGS, passwdCompletionSpec } from '../../../src/cli/passwd-help.js'

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Where a flag shows up in each shell's script. */
const present: Record<'bash' | 'zsh' | 'fish', (script: string, tool: string, name: string) => boolean> = {
  bash: (s, _t, n) => new RegExp(`compgen -W '[^']*(?<=[' ])${esc(n)}(?=[' ])`).test(s),
  zsh: (s, _t, n) => s.includes(`'*${n}[`),
  fish: (s, t, n) => new RegExp(`^complete -c ${t} .*${n.startsWith('--') ? `-l ${esc(n.slice(2))}` : `-s ${esc(n.slice(1))}`}(?= )`, 'm').test(s),
}

for (const tool of ['pub', 'sub', 'rr', 'bench'] as const) {
  describe(`ts${tool} --completion`, () => {
    const accepted = OPTIONS.filter((o) => o.tools.includes(tool)).flatMap((o) => o.names)
    const refused = OPTIONS.filter((o) => !o.tools.includes(tool)).flatMap((o) => o.names).filter((n) => !accepted.includes(n))
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      it(`${shell}: every flag of the option table is in the script, no refused one`, () => {
        const script = completionScript(clientCompletionSpec(tool), shell)
        assert.deepEqual(accepted.filter((n) => !present[shell](script, `ts${tool}`, n)), [])
        assert.deepEqual(refused.filter((n) => present[shell](script, `ts${tool}`, n)), [])
      })
      it(`${shell}: the values of -V, -q, --tls-version, --completion and -D's commands and property names`, () => {
        const script = completionScript(clientCompletionSpec(tool), shell)
        for (const words of ['mqttv5 mqttv311 mqttv31 5 311 31', '0 1 2', 'tlsv1.3 tlsv1.2 tlsv1.1', 'bash zsh fish',
          'connect publish subscribe unsubscribe disconnect will']) {
          assert.ok(script.includes(shell === 'zsh' ? `(${words})` : words), `${words} in the ${shell} script`)
        }
        assert.match(script, /payload-format-indicator message-expiry-interval content-type response-topic correlation-data/)
      })
    }
    it('parseArgs answers --completion <shell> with the script, and refuses another shell', () => {
      const r = parseArgs(tool, ['--completion', 'fish'], {}, () => undefined, 1)
      assert.equal(r.kind, 'completion')
      assert.equal(r.kind === 'completion' ? r.text : '', completionScript(clientCompletionSpec(tool), 'fish'))
      assert.throws(() => parseArgs(tool, ['--completion', 'ksh'], {}, () => undefined, 1), /Unknown shell 'ksh' for --completion: bash, zsh or fish\./)
      assert.throws(() => parseArgs(tool, ['--completion'], {}, () => undefined, 1), /--completion argument given but no shell specified\./)
    })
  })
}

describe('tspasswd --completion', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: every flag, the -H hash types, and files for the password file`, () => {
      const script = completionScript(passwdCompletionSpec(), shell)
      const names = [...PASSWD_FLAGS, ...INFO_FLAGS].flatMap((f) => f.names)
      assert.deepEqual(names.filter((n) => !present[shell](script, 'tspasswd', n)), [])
      assert.ok(script.includes('argon2id sha512-pbkdf2 sha512'))
    })
  }
})
