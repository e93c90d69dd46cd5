// tspub — mosquitto_pub: connect, publish (-m -f -s -n, --repeat, or one message per stdin line with -l,
// -l --topic-separator or --ndjson: pub-lines.ts), wait for the acknowledgement of QoS 1/2, disconnect. A message
// over the broker's Maximum Packet Size: "Error: Packet larger than supported by the server.", exit 25.
import { connect, type Client } from '../client/client.js'
import { PacketTooLargeError } from '../core/errors.js'
import { CLI_RECONNECT, resolveConnection } from './client-options.js'
import { loadPayload } from './input.js'
import { publishLines, publishOne } from './pub-lines.js'
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
  const payload = await loadPayload(c.payload, io)
  const { endpoint, options } = await resolveConnection(c, io, signal, log.debug)
  // -l is long-running: a dropped connection is reconnected (libmosquitto's loop) and the session goes on.
  const client = await connect(endpoint, payload === undefined ? { ...options, reconnect: CLI_RECONNECT } : options)
  // After CONNACK, a signal ends the run cleanly: finish with DISCONNECT and exit 0.
  try {
    const code = payload !== undefined ? await publishRepeated(client, c, payload, log, signal) : await publishLines(client, c, io, log, signal)
    await client.disconnect()
    return code
  } catch (e) {
    // A message too large for the broker was never sent; the connection is fine, so it ends with DISCONNECT.
    if (e instanceof PacketTooLargeError) await client.disconnect()
    else client.destroy()
    throw e
  }
}

async function publishRepeated(client: Client, c: ClientConfig, payload: Buffer, log: StderrLog, signal: AbortSignal): Promise<number> {
  for (let i = 0; i < c.repeat && !signal.aborted; i++) {
    if (await untilAborted(publishOne(client, c, payload, log), signal) === ABORTED) break
    if (c.repeatDelay > 0 && i < c.repeat - 1) await delay(c.repeatDelay * 1000, signal)
  }
  return Exit.ok
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve() }
  })
}
