#!/usr/bin/env node
import { main } from '../build/bin/tspub.js'
process.exitCode = await main(process.argv.slice(2))
