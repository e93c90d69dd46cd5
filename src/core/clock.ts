// Time goes through a Clock so keepalive and expiry are tested without waiting.

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

/** Let the process exit while `handle` (a Clock timer) is pending; returns it. Manual clocks' handles pass through. */
export function unrefTimer<H>(handle: H): H {
  ;(handle as { unref?: () => void } | undefined)?.unref?.()
  return handle
}
