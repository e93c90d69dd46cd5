// tspasswd's flags as data: its --help (mosquitto_passwd's shape, wrapped like the other tools') and its
// completion script come from this one table.
import { packageVersion } from '../version.js'
import { HASH_TYPES } from '../auth/hash.js'
import { SHELLS, type CompletionSpec } from './completion/index.js'
import { renderHelp, renderUsage, type HelpDoc, type HelpOption } from './help-layout.js'

export const PASSWORD_ENV = 'TSPASSWD_PASSWORD'

interface PasswdFlag extends HelpOption {
  readonly names: readonly string[]
  /** The value's completion, for flags that take one. */
  readonly value?: 'text' | readonly string[]
}

export const PASSWD_FLAGS: readonly PasswdFlag[] = [
  { names: ['-b'], syntax: '-b', text: 'run in batch mode to allow passing passwords on the command line.' },
  { names: ['-c'], syntax: '-c', text: 'create a new password file. This will overwrite existing files. A file named - is written to stdout.' },
  { names: ['-D'], syntax: '-D', text: 'delete the username rather than adding/updating its password.' },
  { names: ['-H'], syntax: '-H hash', value: HASH_TYPES,
    text: 'the hashing algorithm. Defaults to argon2id (read by mosquitto 2.1 and tsbroker). sha512-pbkdf2 is read by mosquitto 2.0 and later; sha512 by mosquitto 1.6 and earlier.' },
  { names: ['-I'], syntax: '-I iterations', value: 'text', text: 'PBKDF2 iterations for sha512-pbkdf2 (default 210000).' },
  { names: ['-U'], syntax: '-U', text: 'update a plain text password file to use hashed passwords (hashed entries are left alone).' },
]

/** Given alone, like --help: `tspasswd --completion bash`. */
export const INFO_FLAGS: readonly PasswdFlag[] = [
  { names: ['--completion'], syntax: '--completion shell', value: SHELLS,
    text: 'print a completion script for bash, zsh or fish, to source, and exit.' },
  { names: ['--help'], syntax: '--help', text: 'print this help and exit.' },
  { names: ['--version'], syntax: '--version', text: 'print the version and exit.' },
]

const DOC: HelpDoc = {
  intro: 'tspasswd is a tool for managing password files for mosquitto and tsbroker.',
  usage: [
    ['[-H argon2id | -H sha512-pbkdf2 | -H sha512]', '[-I iterations]', '[-c | -D]', 'passwordfile username'],
    ['[-H hash]', '[-I iterations]', '[-c]', '-b passwordfile username password'],
    ['[-H hash]', '[-I iterations]', '-U passwordfile'],
    ['--help | --version | --completion shell'],
  ],
  sections: [{ title: 'Options', options: PASSWD_FLAGS }, { title: 'Information', options: INFO_FLAGS }],
  footer: [
    `Without -b the password is read from $${PASSWORD_ENV} if set, else from stdin when it is not a terminal ` +
    '(one line; a second line, if present, must repeat it), else asked for on the terminal, twice.',
    'See the tspasswd(1) manual page for more information.',
  ],
}

export function passwdHelp(width: number): string {
  return renderHelp(DOC, 'tspasswd', width)
}

/** The synopsis alone, printed on stderr after a command line tspasswd cannot run. */
export function passwdUsage(width: number): string {
  return renderUsage(DOC, 'tspasswd', width)
}

export function passwdCompletionSpec(): CompletionSpec {
  return {
    tool: 'tspasswd',
    version: packageVersion(),
    flags: [...PASSWD_FLAGS, ...INFO_FLAGS].map((f) => ({
      names: f.names, help: f.text,
      ...(f.value !== undefined ? { value: f.value, valueName: f.syntax.split(' ')[1]! } : {}),
    })),
    positional: 'file',
  }
}
