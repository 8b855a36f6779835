/** What one measured phase produced: the keys a client started and when each was done. */
export interface Sample {
  key: string;
  /** Epoch milliseconds (sub-millisecond resolution) when the client started the request or add. */
  startedAt: number;
  /** When the schedule wanted it started: later than that is the client's lag (paced only). */
  scheduledAt: number;
}

export interface PhaseSummary {
  count: number;
  /** Messages per second from the first start to the last acknowledgement. */
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 counted from the scheduled start: includes any wait for the client to start it. */
  p99FromSchedule: number;
  /** p99 of how late starts were against the schedule. */
  lagP99: number;
  /** Keys that never completed (should be zero). */
  missing: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Joins client start times with server completion times (same machine clock). */
export function summarize(samples: readonly Sample[], doneAt: ReadonlyMap<string, number>): PhaseSummary {
  const latencies: number[] = [];
  const fromSchedule: number[] = [];
  const lags: number[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { key, startedAt, scheduledAt } of samples) {
    const done = doneAt.get(key);
    if (done === undefined) continue;
    latencies.push(done - startedAt);
    fromSchedule.push(done - scheduledAt);
    lags.push(Math.max(0, startedAt - scheduledAt));
    first = Math.min(first, startedAt);
    last = Math.max(last, done);
  }
  for (const values of [latencies, fromSchedule, lags]) values.sort((a, b) => a - b);
  return {
    count: latencies.length,
    throughput: latencies.length / ((last - first) / 1_000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    p99FromSchedule: percentile(fromSchedule, 99),
    lagP99: percentile(lags, 99),
    missing: samples.length - latencies.length,
  };
}
