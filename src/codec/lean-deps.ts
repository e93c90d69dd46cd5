// Start-up time: shell scripts start tspub thousands of times. mqtt-packet's parser requires `bl`, whose
// main module pulls in readable-stream (~27 ms to load here), although the parser only uses bl's plain
// BufferList; and `debug` (~13 ms) for trace lines nobody reads from a CLI. Node documents that entries of
// require.cache may be added or replaced, so before mqtt-packet loads we seed the cache: `bl` resolves to
// bl/BufferList.js (same methods the parser calls: append, consume, readUInt*, slice, length) and `debug`
// to a disabled logger. Set TSMQTT_FULL_DEPS=1 to load the original modules (e.g. to use DEBUG=mqtt-packet:*).
import { createRequire, Module } from 'node:module'

function seed(req: NodeRequire, name: string, exportsValue: unknown): void {
  const path = req.resolve(name)
  if (req.cache[path]) return
  const m = new Module(path)
  m.filename = path
  m.loaded = true
  m.exports = exportsValue
  req.cache[path] = m
}

if (!process.env.TSMQTT_FULL_DEPS) {
  const top = createRequire(import.meta.url)
  // Resolve as mqtt-packet itself would, from its own folder.
  const fromPacket = createRequire(top.resolve('mqtt-packet'))
  try {
    const bufferList = createRequire(fromPacket.resolve('bl'))('./BufferList.js') as unknown
    seed(fromPacket, 'bl', bufferList)
    const off = Object.assign(() => { const d = () => {}; d.enabled = false; return d }, { enable() {}, disable() { return '' }, enabled: () => false })
    seed(fromPacket, 'debug', off)
  } catch {
    // A different dependency layout: fall back to the normal modules (slower start, same behaviour).
  }
}
