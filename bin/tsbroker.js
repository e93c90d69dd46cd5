#!/usr/bin/env node
import { main } from '../build/src/cli/broker.js'
process.exitCode = await main(process.argv.slice(2))
