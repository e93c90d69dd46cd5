// Reading a password from a terminal without echo, as getpass(3) does: the prompt, then nothing but a
// newline once Enter is pressed. No colour, no cursor movement, no escape codes of any kind, so a
// terminal, a log or a screen reader sees exactly `Password: ` and a line break.
import { openSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { Readable, Writable } from 'node:stream'

/** Where a prompt is written and the answer read. `close` releases what was opened for it (/dev/tty). */
export interface Terminal {
  readonly input: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown }
  readonly output: Writable
  close?(): void
}

/** What one question got: the text typed, the end of input (Ctrl-D on an empty line), or Ctrl-C. */
export type SecretAnswer = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' }

export interface SecretReader {
  ask(prompt: string, signal?: AbortSignal): Promise<SecretAnswer>
  close(): void
}

/**
 * The process's controlling terminal, for a prompt when stdin is a pipe (`cat data | tspub -l --pw-prompt`),
 * as ssh and sudo do; undefined when there is none (cron, CI, a daemon). Two descriptors: a tty stream
 * owns its descriptor and closes it.
 */
export function openControllingTerminal(): Terminal | undefined {
  let inFd: number, outFd: number
  try {
    inFd = openSync('/dev/tty', 'r')
    outFd = openSync('/dev/tty', 'w')
  } catch {
    return undefined
  }
  // node:tty only here: importing it at the top cost every start its module (~0.5 ms, bench/RESULTS.md).
  const tty = process.getBuiltinModule('node:tty')
  const input = new tty.ReadStream(inFd)
  const output = new tty.WriteStream(outFd)
  return { input, output, close: () => { input.destroy(); output.destroy() } }
}

const CSI_TAIL = /^\[[0-9;?]*[ -/]*[@-~]/ // the rest of an escape sequence (arrow keys and the like)

/**
 * Ask questions on `term`, one answer per line. Input typed ahead (or pasted) beyond the current line is
 * kept for the next question. Raw mode is on only while a question waits, and always switched off again.
 */
export function secretReader(term: Terminal): SecretReader {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let ended = false
  return {
    ask(prompt, signal) {
      return new Promise<SecretAnswer>((resolve) => {
        let text = ''
        const raw = term.input.isTTY === true && typeof term.input.setRawMode === 'function'
        const finish = (answer: SecretAnswer) => {
          term.input.off('data', onData).off('end', onEnd)
          signal?.removeEventListener('abort', onAbort)
          if (raw) term.input.setRawMode!(false)
          term.input.pause()
          if (answer.kind !== 'eof' || text !== '') term.output.write('\n') // the Enter the terminal did not echo
          resolve(answer)
        }
        const consume = (): boolean => {
          while (pending.length > 0) {
            const ch = pending[0]!
            pending = pending.slice(1)
            if (ch === '\r' || ch === '\n') {
              if (ch === '\r' && pending[0] === '\n') pending = pending.slice(1)
              finish({ kind: 'line', text })
              return true
            }
            if (ch === '\x03') { finish({ kind: 'interrupt' }); return true } // Ctrl-C: raw mode turned it into a byte
            if (ch === '\x04') { // Ctrl-D: end of input on an empty line, else end of this line
              finish(text === '' ? { kind: 'eof' } : { kind: 'line', text })
              return true
            }
            if (ch === '\x7f' || ch === '\b') text = Array.from(text).slice(0, -1).join('')
            else if (ch === '\x15') text = '' // Ctrl-U: start the line again
            else if (ch === '\x1b') pending = pending.replace(CSI_TAIL, '')
            else if (ch >= ' ') text += ch
          }
          return false
        }
        const onData = (chunk: Buffer | string) => {
          pending += typeof chunk === 'string' ? chunk : decoder.write(chunk)
          consume()
        }
        const onEnd = () => { ended = true; finish(text === '' ? { kind: 'eof' } : { kind: 'line', text }) }
        const onAbort = () => finish({ kind: 'interrupt' })
        // Echo off before the prompt appears, as getpass does: keys typed right after it must not show.
        if (raw) term.input.setRawMode!(true)
        term.output.write(prompt)
        if (signal?.aborted) return finish({ kind: 'interrupt' })
        if (consume()) return
        if (ended) return onEnd()
        signal?.addEventListener('abort', onAbort, { once: true })
        term.input.on('data', onData).once('end', onEnd)
        term.input.resume()
      })
    },
    close() {
      term.close?.()
    },
  }
}
