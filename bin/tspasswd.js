#!/usr/bin/env node
// CommonJS, as every file in bin/ (bin/package.json): the client tools start faster without Node's ES module loader.
import('../build/bin/tspasswd.js').then((m) => m.main(process.argv.slice(2))).then((code) => { process.exitCode = code })
