// Runtime errors of tspub/tssub/tsrr: red on a terminal, line by line (no stray codes after the last
// newline), and never an escape code with NO_COLOR, --no-color or a stderr that is not a terminal.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import type { Io } from '../../../src/cli/io.js'
import { stderrLogger } from '../../../src/cli/stderr-log.js'

async function logged(text: string, o: { tty: boolean; env?: NodeJS.ProcessEnv; noColor?: boolean }): Promise<string> {
  const stderr = Object.assign(new PassThrough(), { isTTY: o.tty })
  let out = ''
  stderr.on('data', (c: Buffer) => { out += c.toString() })
  const io: Io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: o.env ?? {}, pid: 1 }
  const log = await stderrLogger(io, { debug: false, quiet: false, noColor: o.noColor ?? false })
  log.error(text)
  return out
}

test('on a terminal each line is red and every newline stays outside the colour', async () => {
  assert.equal(await logged('Error: Connection refused\n', { tty: true }), '\x1b[31mError: Connection refused\x1b[39m\n')
  assert.equal(await logged('Connection error: Not authorized\nError: The connection was refused.\n', { tty: true }),
    '\x1b[31mConnection error: Not authorized\x1b[39m\n\x1b[31mError: The connection was refused.\x1b[39m\n')
})

test('no escape code with NO_COLOR, --no-color, TERM=dumb or a stderr that is not a terminal', async () => {
  for (const o of [{ tty: true, env: { NO_COLOR: '1' } }, { tty: true, noColor: true }, { tty: true, env: { TERM: 'dumb' } }, { tty: false }]) {
    assert.equal(await logged('Error: x\n', o), 'Error: x\n', JSON.stringify(o))
  }
})
