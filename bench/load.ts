import { clock, sleep } from './clock.js';
import type { Sample } from './stats.js';

/** Starts message i and resolves with the key its completion will be recorded under. */
export type Send = (i: number) => Promise<string>;

export interface LoadResult {
  samples: Sample[];
  /** When the last answer (HTTP 202, or the add's reply) came back. */
  lastAnsweredAt: number;
  errors: number;
  firstError?: string;
  /** Paced only: starts the in-flight cap held back. */
  cappedStarts: number;
}

const emptyResult = (): LoadResult => ({ samples: [], lastAnsweredAt: 0, errors: 0, cappedStarts: 0 });

async function timed(send: Send, i: number, result: LoadResult, scheduledAt?: number): Promise<void> {
  const startedAt = clock();
  try {
    const key = await send(i);
    result.lastAnsweredAt = Math.max(result.lastAnsweredAt, clock());
    result.samples.push({ key, startedAt, scheduledAt: scheduledAt ?? startedAt });
  } catch (err) {
    result.errors += 1;
    result.firstError ??= err instanceof Error ? err.message : String(err);
  }
}

/** n messages as fast as a bounded number of concurrent senders can go. */
export async function burst(n: number, concurrency: number, send: Send): Promise<LoadResult> {
  const result = emptyResult();
  let next = 0;
  const sender = async () => {
    while (next < n) await timed(send, next++, result);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, sender));
  return result;
}

/**
 * An open-loop schedule: message i is due at t0 + i/rate whatever the answers do, so a
 * slow server shows up as latency instead of a slower client. In-flight work is capped
 * so a stalled server cannot make the client unbounded; a capped start shows up as
 * the gap between a sample's scheduledAt and startedAt.
 */
export async function paced(rate: number, seconds: number, maxInFlight: number, send: Send): Promise<LoadResult> {
  const result = emptyResult();
  const total = Math.round(rate * seconds);
  const interval = 1_000 / rate;
  const inFlight = new Set<Promise<void>>();
  const t0 = clock() + 5;
  for (let i = 0; i < total;) {
    const due = t0 + i * interval;
    const wait = due - clock();
    if (wait >= 1) {
      await sleep(Math.floor(wait));
    } else if (inFlight.size >= maxInFlight) {
      result.cappedStarts += 1;
      await Promise.race(inFlight);
    } else {
      const work = timed(send, i++, result, due).finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
  }
  await Promise.all(inFlight);
  return result;
}
