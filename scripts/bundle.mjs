#!/usr/bin/env node
// Links the compiled tspub, tssub, tsrr, tspasswd, tsbroker and tsbench (build/src/cli/*.js) into one file each,
// build/bin/<tool>.js.
// Why: shell scripts and cron jobs start these tools thousands of times, and loading ~40 ES modules plus
// mqtt-packet's CommonJS files costs ~17 ms of a ~100 ms start (measured with hyperfine, bench/cli-startup.sh).
// mqtt-packet is bundled with bl's plain BufferList (its main module drags in readable-stream) and a no-op
// `debug` (build-time aliases: nothing changes for other packages of a process that imports tsmqtt as a
// library); native or lazily loaded packages (argon2, chalk, ws) stay external. tsbroker is bundled too:
// without readable-stream and debug it starts ~6 MB smaller, which is what a Raspberry Pi notices.
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'

const root = new URL('..', import.meta.url).pathname
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))

await build({
  entryPoints: {
    tspub: 'build/src/cli/pub.js', tssub: 'build/src/cli/sub.js', tsrr: 'build/src/cli/rr.js', tspasswd: 'build/src/cli/passwd.js',
    tsbroker: 'build/src/cli/broker.js', tsbench: 'build/src/cli/bench.js',
  },
  absWorkingDir: root,
  outdir: 'build/bin',
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['argon2', 'chalk', 'ws'], // ws: loaded from node_modules only for ws:// and wss://
  alias: { bl: './node_modules/bl/BufferList.js', debug: './scripts/bundle-stubs/debug.cjs' },
  define: { __TSMQTT_VERSION__: JSON.stringify(version), __TSMQTT_BUNDLED__: 'true' },
  // mqtt-packet is CommonJS and calls require() for Node built-ins.
  banner: { js: "import { createRequire as __tsmqttRequire } from 'node:module'; const require = __tsmqttRequire(import.meta.url);" },
  logLevel: 'warning',
})
