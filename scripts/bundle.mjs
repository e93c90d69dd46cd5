#!/usr/bin/env node
// Links the compiled tspub, tssub, tsrr, tspasswd, tsbroker and tsbench (build/src/cli/*.js) into one file each,
// build/bin/<tool>.js (<tool>.cjs for the three started most often, see below).
// Why: shell scripts and cron jobs start these tools thousands of times, and loading ~40 ES modules plus
// mqtt-packet's CommonJS files costs ~17 ms of a ~100 ms start (measured with hyperfine, bench/cli-startup.sh).
// mqtt-packet is bundled with bl's plain BufferList (its main module drags in readable-stream) and a no-op
// `debug` (build-time aliases: nothing changes for other packages of a process that imports tsmqtt as a
// library); native or lazily loaded packages (argon2, chalk, ws) stay external. tsbroker is bundled too:
// without readable-stream and debug it starts ~6 MB smaller, which is what a Raspberry Pi notices.
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'

const root = new URL('..', import.meta.url).pathname
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))

const common = {
  absWorkingDir: root,
  outdir: 'build/bin',
  bundle: true,
  splitting: false,
  platform: 'node',
  target: 'node20',
  external: ['argon2', 'chalk', 'ws'], // ws: loaded from node_modules only for ws:// and wss://
  alias: { bl: './node_modules/bl/BufferList.js', debug: './scripts/bundle-stubs/debug.cjs' },
  define: { __TSMQTT_VERSION__: JSON.stringify(version), __TSMQTT_BUNDLED__: 'true' },
  logLevel: 'warning',
}

// tspasswd, tsbroker and tsbench: ES modules (tsbench's workers run its own bundle again).
await build({
  ...common,
  entryPoints: { tspasswd: 'build/src/cli/passwd.js', tsbroker: 'build/src/cli/broker.js', tsbench: 'build/src/cli/bench.js' },
  format: 'esm',
  // mqtt-packet is CommonJS and calls require() for Node built-ins.
  banner: { js: "import { createRequire as __tsmqttRequire } from 'node:module'; const require = __tsmqttRequire(import.meta.url);" },
})

// tspub, tssub and tsrr: CommonJS, which bin/ compiles with V8's code cache (src/cli/code-cache.ts);
// code-cache.json names each by its content hash, so a cache never outlives the bundle it was made from.
const cached = { tspub: 'build/src/cli/pub.js', tssub: 'build/src/cli/sub.js', tsrr: 'build/src/cli/rr.js' }
await build({
  ...common,
  entryPoints: cached,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, 'import.meta.url': '__tsmqttImportMetaUrl' },
  banner: { js: "const __tsmqttImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
})
// The loader itself (src/cli/code-cache.ts), required by bin/: no import.meta to define, so no banner.
await build({ ...common, entryPoints: { 'code-cache': 'build/src/cli/code-cache.js' }, format: 'cjs', outExtension: { '.js': '.cjs' } })

// Node 20 lets code compiled by vm.Script call import() only with --experimental-vm-modules: the bundle's
// import() of chalk, ws and node:tls goes through a function the loader passes in instead.
// Each file is written as one function expression, the CommonJS wrapper the loader calls (src/cli/code-cache.ts):
// compiling the file's text as read, not the wrapper concatenated to it at every start, spares V8 flattening a
// second ~300 KB string, and with it the young-generation GC that came ~18 ms into each start (bench/RESULTS.md).
const HEAD = '(function (exports, require, module, __filename, __dirname, __tsmqttImport) {'
const keys = {}
for (const tool of Object.keys(cached)) {
  const file = `${root}build/bin/${tool}.cjs`
  const body = readFileSync(file, 'utf8').replace(/\bimport\(("[^"]+")\)/g, '__tsmqttImport($1)')
  if (/\bimport\(/.test(body)) throw new Error(`${file}: an import() that is not of a literal name`)
  const text = `${HEAD}${body}\n})\n`
  writeFileSync(file, text)
  keys[tool] = createHash('sha256').update(text).digest('hex').slice(0, 16)
}
writeFileSync(`${root}build/bin/code-cache.json`, `${JSON.stringify(keys)}\n`)
