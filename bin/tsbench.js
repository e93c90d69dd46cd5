#!/usr/bin/env node
import { main } from '../build/bin/tsbench.js'
process.exitCode = await main(process.argv.slice(2))
