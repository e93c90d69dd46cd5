// The live line tsbench redraws on a terminal's stderr (never when stderr is piped).

export function progressLine(sent: number, received: number, elapsedMs: number): string {
  const s = Math.max(elapsedMs, 1) / 1000
  return `\r\x1b[K${s.toFixed(0)} s  sent ${sent} (${Math.round(sent / s)} msg/s)  received ${received} (${Math.round(received / s)} msg/s)`
}
