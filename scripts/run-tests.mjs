#!/usr/bin/env node
// Runs the compiled tests listed explicitly in test/lists/*.list (one path per line, relative to
// build/test, '#' comments). Node 20's `node --test` does not expand globs and, given a folder, would
// also run helpers; the lists keep the suite explicit. A listed file that does not exist fails the run.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const listDir = join(root, 'test', 'lists')
const only = process.argv.slice(2) // e.g. `node scripts/run-tests.mjs unit`
const files = []
for (const name of readdirSync(listDir).filter((n) => n.endsWith('.list')).sort()) {
  if (only.length && !only.includes(name.replace(/\.list$/, ''))) continue
  for (const raw of readFileSync(join(listDir, name), 'utf8').split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const file = join(root, 'build', 'test', line.replace(/\.ts$/, '.js'))
    if (!existsSync(file)) {
      console.error(`run-tests: ${name} lists ${line}, but ${file} does not exist (did the build run?)`)
      process.exit(1)
    }
    files.push(file)
  }
}
if (files.length === 0) {
  console.error('run-tests: no test files listed')
  process.exit(1)
}
const r = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' })
process.exit(r.status ?? 1)
