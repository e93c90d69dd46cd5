#!/usr/bin/env node
// CommonJS (bin/package.json): no ES module loader to start, and the bundle compiled with V8's code cache
// (src/cli/code-cache.ts). Both make a start ~15 ms shorter (bench/RESULTS.md).
const { join } = require('node:path')
const { runBundle } = require('../build/bin/code-cache.cjs')
runBundle('tsrr', process.argv.slice(2), join(__dirname, '..', 'build', 'bin')).then((code) => { process.exitCode = code })
