// User properties as mqtt-packet carries them: an object from name to value, an array for a repeated name.

/**
 * Adds one user property (a repeated name becomes an array, in order). Defined, not assigned, so a name such as
 * `__proto__` or `constructor` is a property like any other, never the object's prototype or its members.
 */
export function addUserProperty(user: Record<string, string | string[]>, name: string, value: string): void {
  const prev = Object.hasOwn(user, name) ? user[name] : undefined
  const next = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  Object.defineProperty(user, name, { value: next, enumerable: true, writable: true, configurable: true })
}
