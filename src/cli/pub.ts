// tspub — mosquitto_pub: connect, publish (-m -f -s -n, --repeat, or one message per stdin line with -l),
// wait for the acknowledgement of QoS 1/2, disconnect.
import { connect, type Client, type PublishResult } from '../client/client.js'
import { reasonName } from '../codec/reason-codes.js'
import { isValidTopicName } from '../codec/topics.js'
import { connectErrorText } from './connect-errors.js'
import { resolveClientOptions } from './client-options.js'
import { InputError, lines, loadPayload } from './input.js'
import { clientCommand } from './client-command.js'
import { processIo, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import { Exit, exitCodeFor } from './exit-codes.js'
import { AbortError, ConnackRefusedError } from '../core/errors.js'

/** libmosquitto's loop thread retries about once a second. */
const RECONNECT_DELAY_MS = 1000
import { stderrLogger, type StderrLog } from './stderr-log.js'

export const pubCommand = clientCommand('pub', (c, io, signal) => publishMain(c, io, signal))

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(pubCommand, argv, io)
}

async function publishMain(c: ClientConfig, io: Io, signal: AbortSignal): Promise<number> {
  const log = await stderrLogger(io, c)
  let payload: Buffer | undefined
  try {
    payload = await loadPayload(c.payload, io.stdin)
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(e.lines.join('\n') + '\n')
      return Exit.failure
    }
    throw e
  }
  let client: Client
  const options = await resolveClientOptions(c, io, signal, log.debug)
  try {
    client = await connect(options)
  } catch (e) {
    log.error(connectErrorText('pub', e))
    return exitCodeFor(e)
  }
  // After CONNACK, a signal ends the run cleanly: finish with DISCONNECT and exit 0.
  try {
    if (payload !== undefined) await publishRepeated(client, c, payload, log, signal)
    else client = await publishLines(client, () => connect(options), c, io, log, signal)
    await client.disconnect()
    return Exit.ok
  } catch (e) {
    client.destroy()
    log.error(`Error: ${e instanceof Error ? e.message : String(e)}\n`)
    return exitCodeFor(e)
  }
}

async function publishRepeated(client: Client, c: ClientConfig, payload: Buffer, log: StderrLog, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < c.repeat && !signal.aborted; i++) {
    await publishOne(client, c, payload, log)
    if (c.repeatDelay > 0 && i < c.repeat - 1) await delay(c.repeatDelay * 1000, signal)
  }
}

/**
 * -l: publish each stdin line as it arrives over one connection; the last acknowledgement ends it. When the
 * connection drops, reconnect about a second later (as libmosquitto's loop thread does, until interrupted) and
 * publish again what was not acknowledged: at least once. Returns the client that is connected at the end.
 */
async function publishLines(first: Client, reconnect: () => Promise<Client>, c: ClientConfig, io: Io, log: StderrLog, signal: AbortSignal): Promise<Client> {
  let client = first
  let lost = false
  let next: Promise<Client> | undefined
  const watch = (cl: Client) => { void cl.closed.then(() => { if (cl === client) lost = true }) }
  watch(client)
  const connected = (): Promise<Client> => {
    if (!lost) return Promise.resolve(client)
    next ??= (async () => {
      for (;;) {
        await delay(RECONNECT_DELAY_MS, signal)
        if (signal.aborted) throw new AbortError()
        try {
          client = await reconnect()
          lost = false
          watch(client)
          return client
        } catch (e) {
          if (e instanceof ConnackRefusedError) throw e
        }
      }
    })().finally(() => { next = undefined })
    return next
  }
  const send = async (line: Buffer): Promise<void> => {
    for (;;) {
      const cl = await connected()
      try {
        return await publishOne(cl, c, line, log)
      } catch (e) {
        if (!lost || signal.aborted) throw e
      }
    }
  }
  const pending: Promise<unknown>[] = []
  for await (const line of lines(io.stdin)) {
    if (signal.aborted) break
    pending.push(send(line))
    // Keep at most -M publishes outstanding here too, so a huge stdin does not buffer in memory.
    if (pending.length >= Math.max(1, c.maxInflight)) await pending.shift()
  }
  await Promise.all(pending)
  return connected()
}

async function publishOne(client: Client, c: ClientConfig, payload: Buffer, log: StderrLog): Promise<void> {
  const topic = c.topic ?? ''
  // libmosquitto refuses v5 properties on a v3 connection (-D … then -V 311): nothing sent, exit 0.
  if (c.protocolVersion !== 5 && c.properties.publish) return
  if (!isValidTopicName(topic)) {
    // mosquitto_pub: the parser accepts an empty topic, the publish fails, the exit code stays 0.
    log.error("Error: Invalid input. Does your topic contain '+' or '#'?\n")
    return
  }
  const r: PublishResult = await client.publish(topic, payload, {
    qos: c.qos, retain: c.retain,
    ...(c.protocolVersion === 5 && c.properties.publish ? { properties: c.properties.publish } : {}),
  })
  if (r.reasonCode >= 0x80) {
    log.error(`Warning: Publish ${r.messageId} failed: ${reasonName(r.reasonCode)}.\n${r.reasonString !== undefined ? r.reasonString + '\n' : ''}`)
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve() }
  })
}
