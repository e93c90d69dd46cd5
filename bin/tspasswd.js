#!/usr/bin/env node
import { processIo } from '../build/src/cli/io.js'
import { passwdCommand } from '../build/src/cli/passwd.js'
import { runCommand } from '../build/src/cli/run.js'

process.exitCode = await runCommand(passwdCommand, process.argv.slice(2), processIo())
