// scripts/run-tests.mjs refuses to run when a test source is in no list (it would never run), and runs
// the listed ones otherwise. Exercised on a copy of the script in a scratch project tree.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { repoRoot } from '../helpers/run-cli.js'

const PASSING = "import { test } from 'node:test'\ntest('ok', () => {})\n"

function project(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-runner-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'scripts'))
  copyFileSync(join(repoRoot, 'scripts', 'run-tests.mjs'), join(dir, 'scripts', 'run-tests.mjs'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** Without NODE_TEST_CONTEXT: this file itself runs under `node --test`, which would change the child's reporter. */
const run = (dir: string) => spawnSync(process.execPath, [join(dir, 'scripts', 'run-tests.mjs')], {
  encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH },
})

test('a test file in no list fails the run, naming the file, before any test runs', (t) => {
  const dir = project(t, {
    'test/lists/unit.list': '# unit\nunit/a.test.ts\n',
    'test/unit/a.test.ts': '', 'build/test/unit/a.test.js': PASSING,
    'test/unit/b.test.ts': '', 'build/test/unit/b.test.js': PASSING,
    'test/helpers/not-a-test.ts': '', // helpers need no list entry
  })
  const r = run(dir)
  assert.equal(r.status, 1)
  assert.equal(r.stderr, 'run-tests: test/unit/b.test.ts is in no test/lists/*.list, so it would never run; add it to one\n')
  assert.doesNotMatch(r.stdout, /# tests/)
})

test('with every test file listed, the listed tests run and pass', (t) => {
  const dir = project(t, {
    'test/lists/unit.list': 'unit/a.test.ts\n',
    'test/lists/integration.list': 'integration/b.test.ts\n',
    'test/unit/a.test.ts': '', 'build/test/unit/a.test.js': PASSING,
    'test/integration/b.test.ts': '', 'build/test/integration/b.test.js': PASSING,
  })
  const r = run(dir)
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /# pass 2\n/)
})
