import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { runPrepared, type Db } from '../db/database.js';

/** The report views (drizzle/0029_reports.sql), refreshed in this order (report_days adds up report_cases). */
export const REPORT_VIEWS = ['report_cases', 'report_days', 'report_contacts'] as const;

/** One lock for every process: a refresh already running elsewhere is not started twice. */
const REFRESH_LOCK = 7_402_015;

/**
 * Counts the report views again, concurrently (reports read the old figures meanwhile), and
 * records when and how long. Returns false when another process is refreshing them now.
 */
export async function refreshReports(db: Db, log?: Logger): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [lock] = await runPrepared<{ got: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${REFRESH_LOCK}) as got`);
    if (!lock?.got) return false;
    for (const view of REPORT_VIEWS) {
      const started = performance.now();
      await tx.execute(sql.raw(`refresh materialized view concurrently "${view}"`));
      const milliseconds = Math.round(performance.now() - started);
      await tx.execute(sql`insert into "report_refreshes" ("view", "refreshed_at", "milliseconds") values (${view}, now(), ${milliseconds})
                           on conflict ("view") do update set "refreshed_at" = excluded."refreshed_at", "milliseconds" = excluded."milliseconds"`);
      log?.debug({ view, milliseconds }, 'report view refreshed');
    }
    return true;
  });
}
