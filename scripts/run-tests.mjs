#!/usr/bin/env node
// Runs the compiled tests listed explicitly in test/lists/*.list (one path per line, relative to
// build/test, '#' comments). Node 20's `node --test` does not expand globs and, given a folder, would
// also run helpers; the lists keep the suite explicit. The run fails before any test starts when a listed
// file does not exist, or when a test/**/*.test.ts source is in no list (it would silently never run).
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const listDir = join(root, 'test', 'lists')
const only = process.argv.slice(2) // e.g. `node scripts/run-tests.mjs unit`

/** Every test/**\/*.test.ts, as a path relative to test/ (the form the lists use). */
function testSources(dir = join(root, 'test')) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...testSources(path))
    else if (entry.name.endsWith('.test.ts')) out.push(relative(join(root, 'test'), path))
  }
  return out
}

const listed = new Set()
const files = []
for (const name of readdirSync(listDir).filter((n) => n.endsWith('.list')).sort()) {
  const selected = !only.length || only.includes(name.replace(/\.list$/, ''))
  for (const raw of readFileSync(join(listDir, name), 'utf8').split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    listed.add(line)
    if (!selected) continue
    const file = join(root, 'build', 'test', line.replace(/\.ts$/, '.js'))
    if (!existsSync(file)) {
      console.error(`run-tests: ${name} lists ${line}, but ${file} does not exist (did the build run?)`)
      process.exit(1)
    }
    files.push(file)
  }
}
const unlisted = testSources().filter((f) => !listed.has(f)).sort()
if (unlisted.length > 0) {
  for (const f of unlisted) console.error(`run-tests: test/${f} is in no test/lists/*.list, so it would never run; add it to one`)
  process.exit(1)
}
if (files.length === 0) {
  console.error('run-tests: no test files listed')
  process.exit(1)
}
const r = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' })
process.exit(r.status ?? 1)
