// Man pages and --help cannot drift from the option table: every option a tool accepts is in both.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { SECTION_TITLES } from '../../../src/cli/options/help.js'
import { helpText } from '../../../src/cli/options/index.js'
import { OPTIONS } from '../../../src/cli/options/option-table.js'
import { FLAG_SPECS, USAGE } from '../../../src/cli/broker-args.js'
import { INFO_FLAGS, PASSWD_FLAGS } from '../../../src/cli/passwd-help.js'

const roff = (name: string) => `\\fB${name.replace(/-/g, '\\-')}\\fR`

for (const tool of ['pub', 'sub', 'rr', 'bench'] as const) {
  describe(`ts${tool}`, () => {
    const page = readFileSync(new URL(`../../../../man/ts${tool}.1`, import.meta.url), 'utf8')
    const help = helpText(tool)
    const accepted = OPTIONS.filter((o) => o.tools.includes(tool))
    it('the man page names every accepted option as \\fB\\-\\-flag\\fR', () => {
      const missing = accepted.flatMap((o) => o.names).filter((n) => !page.includes(roff(n)))
      assert.deepEqual(missing, [])
    })
    it('the man page documents no option the tool refuses', () => {
      // by name: another tool's row may share a name with one this tool accepts (tsbench's -c is not tspub's)
      const names = new Set(accepted.flatMap((o) => o.names))
      const refused = OPTIONS.filter((o) => !o.tools.includes(tool)).map((o) => o.names[0]!).filter((n) => !names.has(n))
      const documented = refused.filter((n) => page.includes(`.TP\n${roff(n)}`))
      assert.deepEqual(documented, [])
    })
    it('--help has one " -x : description" line per accepted option', () => {
      for (const o of accepted) assert.match(help, new RegExp(`\\n ${o.names.join(', ').replace(/[-]/g, '\\-')}[^\\n]* : \\S`))
    })
    it('the man page lists each option in the same section as --help, the sections in the same order', () => {
      const sectionOf = new Map<string, string>()
      let section = ''
      for (const line of page.slice(page.indexOf('.SH OPTIONS'), page.indexOf('.SH', page.indexOf('.SH OPTIONS') + 4)).split('\n')) {
        if (line.startsWith('.SS ')) section = line.slice(4)
        const m = /^\\fB(\\-[^\\]*(?:\\-[^\\]*)*)\\fR/.exec(line)
        if (m && section) sectionOf.set(m[1]!.replace(/\\-/g, '-'), section)
      }
      const wrong = accepted.filter((o) => sectionOf.get(o.names[0]!) !== SECTION_TITLES[tool][o.group])
        .map((o) => `${o.names[0]}: ${sectionOf.get(o.names[0]!)} instead of ${SECTION_TITLES[tool][o.group]}`)
      assert.deepEqual(wrong, [])
      const order = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!)
      assert.deepEqual(order(page, /^\.SS (.+)$/gm), order(help, /^([A-Z][^:\n]*):$/gm))
    })
  })
}

describe('tspasswd', () => {
  it('the man page names every flag of its table as \\fB\\-flag\\fR', () => {
    const page = readFileSync(new URL('../../../../man/tspasswd.1', import.meta.url), 'utf8')
    const missing = [...PASSWD_FLAGS, ...INFO_FLAGS].flatMap((f) => f.names).filter((n) => !page.includes(`.B ${n.replace(/-/g, '\\-')}`) && !page.includes(`.BI ${n.replace(/-/g, '\\-')} `))
    assert.deepEqual(missing, [])
  })
})

describe('tsbroker', () => {
  it('the man page and -h name every flag of its table', () => {
    const page = readFileSync(new URL('../../../../man/tsbroker.8', import.meta.url), 'utf8')
    const options = page.slice(page.indexOf('.SH OPTIONS'), page.indexOf('.SH OUTPUT'))
    const names = FLAG_SPECS.flatMap((f) => f.names)
    assert.deepEqual(names.filter((n) => !options.includes(n.replace(/-/g, '\\-'))), [])
    assert.deepEqual(FLAG_SPECS.map((f) => f.names[0]!).filter((n) => !USAGE.includes(` ${n} `)), [])
  })
})
