// The wire order of a v5 property block. mqtt-packet keeps properties in an object, so `a=1, content-type,
// b=2, a=3` becomes {userProperties: {a: ['1', '3'], b: '2'}, contentType}: the order of user properties
// among themselves and among the other properties is lost [MQTT-3.3.2-18] (v5). The decoder (broker side)
// and the -D option parser attach the order to the properties object under a symbol key, which spreads
// and object rest copy along and which mqtt-packet never sees; the encoder (encode.ts) follows it.

/** Property keys (mqtt-packet's names) and user-property [key, value] pairs, in wire order. */
export type PropertyOrder = ReadonlyArray<string | readonly [key: string, value: string]>

const ORDER = Symbol.for('tsmqtt.propertyOrder')

/** Attach `order` to `props` (returned). Values stay in the object: the order is only a hint. */
export function withPropertyOrder<T extends object>(props: T, order: PropertyOrder): T {
  (props as { [ORDER]?: PropertyOrder })[ORDER] = order
  return props
}

export function propertyOrder(props: object | undefined): PropertyOrder | undefined {
  return props === undefined ? undefined : (props as { [ORDER]?: PropertyOrder })[ORDER]
}
