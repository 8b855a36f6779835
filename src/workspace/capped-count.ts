import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.js';

/** How long a count past the cap is reused: "more than 1,000" hardly changes in seconds. */
export const CAPPED_COUNT_TTL_MS = 10_000;
/** The most filters remembered per database; the oldest is forgotten first. */
const MAX_ENTRIES = 500;

const dialect = new PgDialect();
const byDatabase = new WeakMap<Db, Map<string, { count: Promise<number>; until: number }>>();

/**
 * Counts up to `cap + 1` rows with `count`, unless the same conditions counted past the cap
 * moments ago. Without a visibility map (before vacuum) a capped count reads a thousand heap
 * pages or more; eight agents on the open view would each pay it on every page load for the
 * same "more than 1,000". A count at or under the cap is never reused: it stays exact and
 * live. Callers asking at once share one count.
 */
export async function cappedCount(db: Db, where: SQL | undefined, cap: number, count: () => Promise<number>, now = Date.now()): Promise<number> {
  const key = where ? JSON.stringify(dialect.sqlToQuery(where)) : '';
  let entries = byDatabase.get(db);
  if (!entries) byDatabase.set(db, (entries = new Map()));
  const known = entries.get(key);
  if (known && known.until > now) return known.count;
  const entry = { count: count(), until: now + CAPPED_COUNT_TTL_MS };
  entries.delete(key);
  entries.set(key, entry);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const forget = () => {
    if (entries.get(key) === entry) entries.delete(key);
  };
  try {
    const n = await entry.count;
    if (n <= cap) forget();
    return n;
  } catch (err) {
    forget();
    throw err;
  }
}
