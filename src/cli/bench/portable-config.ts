// A ClientConfig that survives the trip to a worker thread. Structured clone (workerData, postMessage) turns
// every Buffer into a plain Uint8Array (Buffer.concat in the encoder then fails: `list[i].copy is not a
// function`) and drops symbol-keyed properties, which is where -D keeps the wire order of v5 properties
// (property-order.ts). So the orders travel beside the config, by path, and the worker revives both. Pure.
import { propertyOrder, withPropertyOrder, type PropertyOrder } from '../../codec/property-order.js'
import type { ClientConfig } from '../options/types.js'

export interface PortableConfig {
  config: ClientConfig
  /** Every object of the config that carries a property order: its path of keys, and the order. */
  orders: [path: string[], order: PropertyOrder][]
}

export function portableConfig(config: ClientConfig): PortableConfig {
  const orders: PortableConfig['orders'] = []
  const walk = (v: unknown, path: string[]) => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return
    const order = propertyOrder(v)
    if (order) orders.push([path, order])
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k])
  }
  walk(config, [])
  return { config, orders }
}

/** The config as the other thread sent it: Buffers where it had Buffers, property orders re-attached. */
export function revivedConfig(p: PortableConfig): ClientConfig {
  const config = revive(p.config) as ClientConfig
  for (const [path, order] of p.orders) {
    const target = path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], config)
    if (target !== null && typeof target === 'object') withPropertyOrder(target, order)
  }
  return config
}

function revive(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  if (Array.isArray(v)) return v.map(revive)
  if (v === null || typeof v !== 'object') return v
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]))
}
