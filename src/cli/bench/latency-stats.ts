// End-to-end latency samples and their percentiles (nearest rank, exact: every sample is kept, 8 bytes
// each, so 10 M deliveries cost 80 MB). Pure; shards merge their samples into one before the summary.

export interface LatencySummary {
  /** Samples (= deliveries that carried a stamp of this run). */
  count: number
  /** Milliseconds; all 0 when there are no samples. */
  min: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

export class LatencySamples {
  #values: Float64Array
  #n = 0

  constructor(capacity = 1024) { this.#values = new Float64Array(Math.max(16, capacity)) }

  get count(): number { return this.#n }

  /** One latency in milliseconds. */
  add(ms: number): void {
    if (this.#n === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.#n++] = ms
  }

  addAll(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!)
  }

  /** A copy of the samples, e.g. to send to another thread. */
  values(): Float64Array { return this.#values.slice(0, this.#n) }

  summary(): LatencySummary { return summarize(this.values()) }
}

/** Nearest-rank percentile of ascending `sorted`: the smallest value with at least p % of samples at or below it. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function summarize(values: Float64Array): LatencySummary {
  const sorted = values.slice().sort()
  const n = sorted.length
  if (n === 0) return { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 }
  let sum = 0
  for (let i = 0; i < n; i++) sum += sorted[i]!
  return {
    count: n, min: sorted[0]!, mean: sum / n,
    p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[n - 1]!,
  }
}
