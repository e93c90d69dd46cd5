// Man pages and --help cannot drift from the option table: every option a tool accepts is in both.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { helpText } from '../../../src/cli/options/index.js'
import { OPTIONS } from '../../../src/cli/options/option-table.js'

const roff = (name: string) => `\\fB${name.replace(/-/g, '\\-')}\\fR`

for (const tool of ['pub', 'sub', 'rr'] as const) {
  describe(`ts${tool}`, () => {
    const page = readFileSync(new URL(`../../../../man/ts${tool}.1`, import.meta.url), 'utf8')
    const help = helpText(tool)
    const accepted = OPTIONS.filter((o) => o.tools.includes(tool))
    it('the man page names every accepted option as \\fB\\-\\-flag\\fR', () => {
      const missing = accepted.flatMap((o) => o.names).filter((n) => !page.includes(roff(n)))
      assert.deepEqual(missing, [])
    })
    it('the man page documents no option the tool refuses', () => {
      const refused = OPTIONS.filter((o) => !o.tools.includes(tool)).map((o) => o.names[0]!)
      const documented = refused.filter((n) => page.includes(`.TP\n${roff(n)}`))
      assert.deepEqual(documented, [])
    })
    it('--help has one " -x : description" line per accepted option', () => {
      for (const o of accepted) assert.match(help, new RegExp(`\\n ${o.names.join(', ').replace(/[-]/g, '\\-')}[^\\n]* : \\S`))
    })
  })
}
