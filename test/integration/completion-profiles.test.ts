// --profile completes the profile names of the options files ($XDG_CONFIG_HOME/tsmqtt/profiles and the
// tool's own), read by the shell at completion time, in bash, fish and zsh.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { completionScript, type Shell } from '../../src/cli/completion/index.js'
import { clientCompletionSpec } from '../../src/cli/options/completion-spec.js'

const have = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0
const skipUnless = (shell: string) => (have(shell) || process.env.CI ? false : `${shell} is not installed`)

/** A config dir with profiles in both files (and lines that are not profile headers), and the script. */
function setup(t: TestContext, shell: Shell, file: string): { xdg: string; script: string } {
  const xdg = mkdtempSync(join(tmpdir(), 'tsmqtt-completion-xdg-'))
  t.after(() => rmSync(xdg, { recursive: true, force: true }))
  mkdirSync(join(xdg, 'tsmqtt'))
  writeFileSync(join(xdg, 'tsmqtt', 'profiles'), '-h shared\n[prod]\n-p 1\n  [ eu-west.2 ] \r\n# [commented]\n-t [not-a-header]\n')
  writeFileSync(join(xdg, 'tspub'), '-q 1\n[local]\n')
  const script = join(xdg, file)
  writeFileSync(script, completionScript(clientCompletionSpec('pub'), shell))
  return { xdg, script }
}

function run(cmd: string, args: string[], xdg: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, HOME: tmpdir(), XDG_CONFIG_HOME: xdg } })
  assert.equal(r.status, 0, `${cmd} failed: ${r.stderr}`)
  return r.stdout
}

describe('--profile completion', () => {
  it('bash', { skip: skipUnless('bash') }, (t) => {
    const { xdg, script } = setup(t, 'bash', 'tspub.bash')
    const out = run('bash', ['-c', `source '${script}'
COMP_WORDS=(tspub -q 1 --profile ''); COMP_CWORD=4; _tsmqtt_tspub; echo "\${COMPREPLY[*]}"
COMP_WORDS=(tspub --profile e); COMP_CWORD=2; _tsmqtt_tspub; echo "\${COMPREPLY[*]}"`], xdg)
    assert.equal(out, 'prod eu-west.2 local\neu-west.2\n')
  })
  it('fish', { skip: skipUnless('fish') }, (t) => {
    const { xdg, script } = setup(t, 'fish', 'tspub.fish')
    const out = run('fish', ['-c', `source '${script}'; complete -C 'tspub --profile '`], xdg)
    assert.deepEqual(out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]), ['eu-west.2', 'local', 'prod'])
  })
  it('zsh: the lister the _arguments action calls', { skip: skipUnless('zsh') }, (t) => {
    const { xdg, script } = setup(t, 'zsh', '_tspub')
    const out = run('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && source '${script}' && _tsmqtt_tspub_profiles_list`], xdg)
    assert.equal(out, 'prod\neu-west.2\nlocal\n')
  })
  it('no options file: nothing offered, no error', { skip: skipUnless('bash') }, (t) => {
    const { script } = setup(t, 'bash', 'tspub.bash')
    const empty = mkdtempSync(join(tmpdir(), 'tsmqtt-completion-none-'))
    t.after(() => rmSync(empty, { recursive: true, force: true }))
    assert.equal(run('bash', ['-c', `source '${script}'; COMP_WORDS=(tspub --profile ''); COMP_CWORD=2; _tsmqtt_tspub; echo "[\${COMPREPLY[*]}]"`], empty), '[]\n')
  })
})
