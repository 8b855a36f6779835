import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rowsOf, type Db } from './database.js';

/** The tables the hot path's named statements read by index (intake, routing, chat, outbox). */
export const HOT_TABLES = ['messages', 'conversations', 'cases', 'outbox', 'thread_keys'] as const;

/** Fewer changes than this since the last ANALYZE are left to autovacuum. */
const MIN_CHANGES = 500;

/**
 * Analyzes each hot table that changed more than it held at its last ANALYZE (and at least
 * MIN_CHANGES rows). Why: a named statement's generic plan is made once and kept until the
 * table's statistics change. Made while a young table held a few rows, it scans the table,
 * and keeps scanning it as it grows to thousands in the minute before autovacuum's first
 * visit. ANALYZE invalidates the plan; by the doubling rule a table is analyzed a few times
 * while it is young and, once large, left to autovacuum. Returns the tables it analyzed.
 */
export async function analyzeGrownTables(db: Db, log: Logger): Promise<string[]> {
  const grown = await db.execute(sql`
    select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
     where s.schemaname = current_schema() and s.relname = any(${sql.param([...HOT_TABLES])}::text[])
       and s.n_mod_since_analyze > greatest(${MIN_CHANGES}::integer, c.reltuples)`);
  // The names go into the ANALYZE statement as they are: only names of the list may.
  const hot: readonly string[] = HOT_TABLES;
  const tables = rowsOf<{ relname: string }>(grown)
    .map((row) => row.relname)
    .filter((name) => hot.includes(name));
  for (const table of tables) await db.execute(sql.raw(`analyze ${table}`));
  if (tables.length > 0) log.info({ tables }, 'grown tables analyzed');
  return tables;
}
