import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { cappedCount, CAPPED_COUNT_TTL_MS } from './capped-count.js';

const CAP = 1_000;
const counter = (n: number) => {
  const calls = { n: 0 };
  return { calls, count: async () => ((calls.n += 1), n) };
};

describe('the capped count', () => {
  it('reuses a count past the cap for a few seconds, then counts again', async () => {
    const db = {} as Db;
    const { calls, count } = counter(CAP + 1);
    const where = sql`status = ${'open'}`;
    expect(await cappedCount(db, where, CAP, count, 0)).toBe(CAP + 1);
    expect(await cappedCount(db, where, CAP, count, CAPPED_COUNT_TTL_MS - 1)).toBe(CAP + 1);
    expect(calls.n).toBe(1);
    await cappedCount(db, where, CAP, count, CAPPED_COUNT_TTL_MS);
    expect(calls.n).toBe(2);
  });

  it('counts again every time while the count is exact, and keeps filters and databases apart', async () => {
    const db = {} as Db;
    const small = counter(7);
    await cappedCount(db, sql`status = ${'open'}`, CAP, small.count, 0);
    await cappedCount(db, sql`status = ${'open'}`, CAP, small.count, 1);
    expect(small.calls.n).toBe(2);

    const large = counter(CAP + 1);
    await cappedCount(db, sql`status = ${'closed'}`, CAP, large.count, 0);
    await cappedCount(db, sql`status = ${'all'}`, CAP, large.count, 0);
    await cappedCount({} as Db, sql`status = ${'closed'}`, CAP, large.count, 0);
    expect(large.calls.n).toBe(3);
  });

  it('lets agents who ask at once share one count, and forgets a count that failed', async () => {
    const db = {} as Db;
    const { calls, count } = counter(CAP + 1);
    const where = sql`team = ${'Team 3'}`;
    await Promise.all(Array.from({ length: 8 }, () => cappedCount(db, where, CAP, count, 0)));
    expect(calls.n).toBe(1);

    const failing = sql`team = ${'Team 4'}`;
    await expect(cappedCount(db, failing, CAP, () => Promise.reject(new Error('connection lost')), 0)).rejects.toThrow('connection lost');
    expect(await cappedCount(db, failing, CAP, count, 1)).toBe(CAP + 1);
  });
});
