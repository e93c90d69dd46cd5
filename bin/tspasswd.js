#!/usr/bin/env node
import { main } from '../build/bin/tspasswd.js'
process.exitCode = await main(process.argv.slice(2))
