// tspub — mosquitto_pub: connect, publish (-m -f -s -n, --repeat, or one message per stdin line with -l),
// wait for the acknowledgement of QoS 1/2, disconnect.
import { connect, type Client, type PublishResult } from '../client/client.js'
import { reasonName } from '../codec/reason-codes.js'
import { isValidTopicName } from '../codec/topics.js'
import { CLI_RECONNECT, resolveConnection } from './client-options.js'
import { lines, loadPayload } from './input.js'
import { ABORTED, clientCommand, untilAborted } from './client-command.js'
import { processIo, type Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { runCommand } from './run.js'
import { Exit } from './exit-codes.js'
import type { StderrLog } from './stderr-log.js'

export const pubCommand = clientCommand('pub', publishMain)

export function main(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(pubCommand, argv, io)
}

async function publishMain(c: ClientConfig, io: Io, signal: AbortSignal, log: StderrLog): Promise<number> {
  const payload = await loadPayload(c.payload, io.stdin)
  const { endpoint, options } = await resolveConnection(c, io, signal, log.debug)
  // -l is long-running: a dropped connection is reconnected (libmosquitto's loop) and the session goes on.
  const client = await connect(endpoint, payload === undefined ? { ...options, reconnect: CLI_RECONNECT } : options)
  // After CONNACK, a signal ends the run cleanly: finish with DISCONNECT and exit 0.
  try {
    if (payload !== undefined) await publishRepeated(client, c, payload, log, signal)
    else await publishLines(client, c, io, log, signal)
    await client.disconnect()
    return Exit.ok
  } catch (e) {
    client.destroy()
    throw e
  }
}

async function publishRepeated(client: Client, c: ClientConfig, payload: Buffer, log: StderrLog, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < c.repeat && !signal.aborted; i++) {
    if (await untilAborted(publishOne(client, c, payload, log), signal) === ABORTED) return
    if (c.repeatDelay > 0 && i < c.repeat - 1) await delay(c.repeatDelay * 1000, signal)
  }
}

/**
 * -l: publish each stdin line as it arrives; the last acknowledgement ends it. QoS 1/2 messages not
 * acknowledged when the connection drops are sent again after the reconnect, in order (the client's session).
 */
async function publishLines(client: Client, c: ClientConfig, io: Io, log: StderrLog, signal: AbortSignal): Promise<void> {
  const pending: Promise<void>[] = []
  // A signal ends the read of a stdin that may never reach EOF (a terminal).
  const stopReading = () => io.stdin.destroy()
  signal.addEventListener('abort', stopReading, { once: true })
  try {
    for await (const line of lines(io.stdin)) {
      if (signal.aborted) break
      const p = publishOne(client, c, line, log)
      p.catch(() => {}) // awaited below; a signal may leave it behind
      pending.push(p)
      // Keep at most -M publishes outstanding here too, so a huge stdin does not buffer in memory.
      if (pending.length >= Math.max(1, c.maxInflight) && await untilAborted(pending.shift()!, signal) === ABORTED) return
    }
  } catch (e) {
    if (!signal.aborted) throw e // a destroyed stdin after a signal is the end we asked for
  } finally {
    signal.removeEventListener('abort', stopReading)
  }
  await untilAborted(Promise.all(pending), signal)
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
