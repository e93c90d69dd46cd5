// tspub's line modes on top of the one windowed loop (publish-window.ts): what a line is in each mode and how
// its message is published.
//   -l                        each line is the payload, to -t (mosquitto_pub -l, exactly).
//   -l --topic-separator SEP  each line is `topic SEP payload` (topic-lines.ts).
//   --ndjson                  each line is a `tssub --json` record (format/ndjson-read.ts), optionally timed.
import type { Client, PublishResult } from '../client/client.js'
import type { PublishProperties, QoS } from '../codec/index.js'
import { reasonName } from '../codec/reason-codes.js'
import { isValidTopicName } from '../codec/topics.js'
import { systemClock, type Clock } from '../core/clock.js'
import { Exit } from './exit-codes.js'
import { readNdjsonLine } from './format/ndjson-read.js'
import type { Io } from './io.js'
import type { ClientConfig } from './options/types.js'
import { publishWindowed, type WindowOptions } from './publish-window.js'
import { ReplayPacer } from './replay-pacer.js'
import type { StderrLog } from './stderr-log.js'
import { splitTopicLine } from './topic-lines.js'

interface LineMessage { topic: string; payload: Buffer; qos: QoS; retain: boolean; properties?: PublishProperties; at?: number }

/** mosquitto's warning for a publish a v5 broker refused (the exit code stays 0 for -m and -l). */
export function refusedWarning(r: PublishResult): string {
  return `Warning: Publish ${r.messageId} failed: ${reasonName(r.reasonCode)}.\n${r.reasonString !== undefined ? r.reasonString + '\n' : ''}`
}

/**
 * Read stdin to its end (or a signal, or --strict's first malformed line) and publish every line. Exit code:
 * 0, or Exit.notAllPublished when a line of --ndjson / --topic-separator was malformed, refused by the broker or
 * too large for it; plain -l: 0, or Exit.packetTooLarge.
 */
export async function publishLines(client: Client, c: ClientConfig, io: Io, log: StderrLog, signal: AbortSignal, clock: Clock = systemClock): Promise<number> {
  const common = {
    window: c.maxInflight, clock, strict: c.strict, signal,
    report: (t: string) => log.error(t), refused: (r: PublishResult) => log.error(refusedWarning(r)),
  }
  if (c.payload?.mode !== 'ndjson' && c.topicSeparator === undefined) {
    // Plain -l: mosquitto_pub's behaviour, failures included (a refused publish or a bad -t still exits 0).
    // A line over the broker's Maximum Packet Size exits 25 as mosquitto_pub -l does (there it also ends the run).
    const plain = await publishWindowed(io.stdin, { ...common, ...plainMode(client, c, log) })
    return plain.tooLarge > 0 ? Exit.packetTooLarge : Exit.ok
  }
  const mode = c.payload?.mode === 'ndjson' ? ndjsonMode(c, log, clock) : separatorMode(c, log)
  const send = (m: LineMessage) => client.publish(m.topic, m.payload, m)
  const outcome = await publishWindowed(io.stdin, { ...common, ...mode, send })
  return outcome.malformed + outcome.refused + outcome.tooLarge > 0 ? Exit.notAllPublished : Exit.ok
}

type ModeOptions<M> = Pick<WindowOptions<M>, 'parse' | 'send' | 'sendMany' | 'wait'>

/** -l: the same topic, QoS, retain and properties for every line; checked once, as mosquitto checks each. */
function plainMode(client: Client, c: ClientConfig, log: StderrLog): ModeOptions<Buffer> {
  const send = (payload: Buffer) => client.publish(c.topic!, payload, opts)
  const opts = { qos: c.qos, retain: c.retain, ...(c.properties.publish ? { properties: c.properties.publish } : {}) }
  // libmosquitto refuses v5 properties on a v3 connection (-D … then -V 311): nothing sent, exit 0.
  if (c.protocolVersion !== 5 && c.properties.publish) return { parse: () => undefined, send }
  // mosquitto_pub: the parser accepts an empty topic, each publish fails, the exit code stays 0.
  if (!isValidTopicName(c.topic ?? '')) return { parse: () => { log.error(INVALID_TOPIC); return undefined }, send }
  // QoS 0 without -d (which prints a line per message as it is sent): a run's lines in one call.
  if (c.qos === 0 && !c.debug) return { parse: (line) => line, send, sendMany: (payloads) => client.publishMany(c.topic!, payloads, opts) }
  return { parse: (line) => line, send }
}

const INVALID_TOPIC = "Error: Invalid input. Does your topic contain '+' or '#'?\n"

function ndjsonMode(c: ClientConfig, log: StderrLog, clock: Clock): Omit<ModeOptions<LineMessage>, 'send'> {
  const defaults = {
    qos: c.qos, retain: c.retain,
    ...(c.topic !== undefined ? { topic: c.topic } : {}),
    ...(c.properties.publish ? { properties: c.properties.publish } : {}),
  }
  const v3 = v3PropertyDrop(c, log)
  const pacer = c.replaySpeed !== undefined ? new ReplayPacer(clock, c.replaySpeed) : undefined
  return {
    parse: (line, n) => { const m = readNdjsonLine(line, defaults); return m && v3(m, n) },
    ...(pacer ? { wait: (m: LineMessage) => pacer.wait(m.at) } : {}),
  }
}

function separatorMode(c: ClientConfig, log: StderrLog): Omit<ModeOptions<LineMessage>, 'send'> {
  const separator = Buffer.from(c.topicSeparator!)
  const v3 = v3PropertyDrop(c, log)
  const base = { qos: c.qos, retain: c.retain, ...(c.properties.publish ? { properties: c.properties.publish } : {}) }
  return { parse: (line, n) => v3({ ...base, ...splitTopicLine(line, separator) }, n) }
}

/** Over MQTT 3.1/3.1.1, v5 properties (a line's, or -D publish) are dropped, with one warning per run. */
function v3PropertyDrop(c: ClientConfig, log: StderrLog): (m: LineMessage, n: number) => LineMessage {
  if (c.protocolVersion === 5) return (m) => m
  let warned = false
  return (m, n) => {
    if (!m.properties) return m
    if (!warned) {
      warned = true
      log.error(`Warning: line ${n}: MQTT v5 properties are not sent over MQTT ${c.protocolVersion === 3 ? '3.1' : '3.1.1'} (use -V 5); shown once.\n`)
    }
    const { properties: _dropped, ...rest } = m
    return rest
  }
}

/** -m / -f / -s / -n (also --repeat): mosquitto_pub's checks, then the publish; the exit code stays 0. */
export async function publishOne(client: Client, c: ClientConfig, payload: Buffer, log: StderrLog): Promise<void> {
  if (c.protocolVersion !== 5 && c.properties.publish) return
  if (!isValidTopicName(c.topic ?? '')) return log.error(INVALID_TOPIC)
  const r = await client.publish(c.topic!, payload, { qos: c.qos, retain: c.retain, ...(c.properties.publish ? { properties: c.properties.publish } : {}) })
  if (r.reasonCode >= 0x80) log.error(refusedWarning(r))
}
