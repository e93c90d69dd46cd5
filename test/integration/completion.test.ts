// The completion scripts, loaded by real shells: bash completes every flag and the enumerated values,
// fish answers `complete -C`, zsh parses the script and registers it both ways (sourced, and autoloaded
// from $fpath). Shells that are not installed are skipped locally; CI installs them (.ci/run).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { completionScript } from '../../src/cli/completion/index.js'
import { clientCompletionSpec } from '../../src/cli/options/completion-spec.js'
import { OPTIONS } from '../../src/cli/options/option-table.js'
import { runCli } from '../helpers/run-cli.js'

const have = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0
const skipUnless = (shell: string) => (have(shell) || process.env.CI ? false : `${shell} is not installed`)

function scriptFile(t: TestContext, name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmqtt-completion-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, HOME: tmpdir() } })
  assert.equal(r.status, 0, `${cmd} failed: ${r.stderr}`)
  return r.stdout
}

/** bash: what the completion function offers for `words` (the last one is the word being completed). */
function bashCompletions(script: string, fn: string, cases: readonly string[][]): string[] {
  const body = cases.map((words) => `try ${words.map((w) => `'${w}'`).join(' ')}`).join('\n')
  return run('bash', ['-c', `source '${script}'
try() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); ${fn}; printf "%s\\n" "\${COMPREPLY[*]}"; }
${body}`]).split('\n').slice(0, cases.length)
}

for (const tool of ['pub', 'sub', 'rr', 'bench'] as const) {
  const name = `ts${tool}`
  describe(`${name} completion in real shells`, () => {
    const flags = OPTIONS.filter((o) => o.tools.includes(tool)).flatMap((o) => o.names)

    it('bash: every flag completes from its full name; values of -V, -q, --tls-version, -D', { skip: skipUnless('bash') }, (t) => {
      const script = scriptFile(t, name, completionScript(clientCompletionSpec(tool), 'bash'))
      const fn = `_tsmqtt_${name}`
      const got = bashCompletions(script, fn, flags.map((f) => [name, f]))
      assert.deepEqual(flags.filter((f, i) => !got[i]!.split(' ').includes(f)), [])
      const [v, q, tls, d, dPublish, dValue, shells] = bashCompletions(script, fn, [
        [name, '-V', ''], [name, '-q', ''], [name, '--tls-version', 'tlsv1.'], [name, '-D', ''], [name, '-D', 'publish', 'content-'],
        [name, '-D', 'publish', 'content-type', ''], [name, '--completion', 'z'],
      ])
      assert.equal(v, 'mqttv5 mqttv311 mqttv31 5 311 31')
      assert.equal(q, '0 1 2')
      assert.equal(tls, 'tlsv1.3 tlsv1.2 tlsv1.1')
      assert.equal(d, 'connect publish subscribe unsubscribe disconnect will')
      assert.equal(dPublish, 'content-type')
      assert.equal(dValue, '', 'a property value is free text')
      assert.equal(shells, 'zsh')
    })

    it('fish: complete -C offers the flags and the enumerated values', { skip: skipUnless('fish') }, (t) => {
      const script = scriptFile(t, `${name}.fish`, completionScript(clientCompletionSpec(tool), 'fish'))
      const out = run('fish', ['-c', `source '${script}'
complete -C '${name} --tls-v'; echo ---
complete -C '${name} -q '; echo ---
complete -C '${name} -D '; echo ---
complete -C '${name} -D subscribe '`]).split('---\n').map((block) => block.split('\n').filter(Boolean).map((l) => l.split('\t')[0]))
      assert.deepEqual(out[0], ['--tls-version'])
      assert.deepEqual(out[1], ['0', '1', '2'])
      assert.deepEqual(out[2], ['connect', 'disconnect', 'publish', 'subscribe', 'unsubscribe', 'will'])
      assert.deepEqual(out[3], ['subscription-identifier', 'user-property'])
    })

    it('zsh: the script parses, and registers itself sourced after compinit and autoloaded from $fpath', { skip: skipUnless('zsh') }, (t) => {
      const script = scriptFile(t, `_${name}`, completionScript(clientCompletionSpec(tool), 'zsh'))
      run('zsh', ['-n', script])
      assert.equal(run('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && source '${script}' && print -r -- $_comps[${name}]`]).trim(), `_tsmqtt_${name}`)
      const dir = script.slice(0, script.lastIndexOf('/'))
      assert.equal(run('zsh', ['-f', '-c', `fpath=('${dir}' $fpath); autoload -U compinit && compinit -u -D && print -r -- $_comps[${name}]`]).trim(), `_${name}`)
    })
  })
}

it('the spawned tools print their scripts: tspub --completion bash, tspasswd --completion fish', async () => {
  const pub = await runCli('tspub', ['--completion', 'bash'])
  assert.equal(pub.code, 0)
  assert.match(pub.stdout.toString(), /^# bash completion for tspub[^]*\ncomplete -F _tsmqtt_tspub tspub\n$/)
  const passwd = await runCli('tspasswd', ['--completion', 'fish'])
  assert.equal(passwd.code, 0)
  assert.match(passwd.stdout.toString(), /\ncomplete -c tspasswd -s H -x -a 'argon2id sha512-pbkdf2 sha512'/)
})

it('tsbroker --completion bash completes its flags and the shells, in a real bash', { skip: skipUnless('bash') }, async (t) => {
  const broker = await runCli('tsbroker', ['--completion', 'bash'])
  assert.equal(broker.code, 0)
  const script = scriptFile(t, 'tsbroker', broker.stdout.toString())
  const [flags, shells] = bashCompletions(script, '_tsmqtt_tsbroker', [['tsbroker', '--p'], ['tsbroker', '--completion', 'f']])
  assert.equal(flags, '--port --port-file')
  assert.equal(shells, 'fish')
})
