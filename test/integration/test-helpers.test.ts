// The helpers that spawn children must stay quiet about a child that is already gone: under load a tool
// often exits before the test (or its cleanup) signals it, and process.kill(pid) then throws ESRCH.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runTool } from '../helpers/broker-tools.js'

test('runTool: kill() and the cleanup after a child that has already exited do not throw', async (t) => {
  const tool = runTool(t, process.execPath, ['-e', '0'])
  assert.equal(await tool.exited, 0)
  assert.doesNotThrow(() => tool.kill('SIGKILL'))
  // the cleanup registered with t.after runs once this test returns; it must not fail the test either
})

test('runTool: kill() stops a child that still runs', async (t) => {
  const tool = runTool(t, process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
  tool.kill('SIGTERM')
  assert.equal(await tool.exited, null) // killed by a signal: no exit code
  assert.equal(tool.child.signalCode, 'SIGTERM')
})
