/**
 * Keeping a young database's statistics up with its growth (src/db/statistics.ts). Real:
 * PostgreSQL, a database of its own migrated by Loket, its cumulative statistics and ANALYZE.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { analyzeGrownTables } from '../src/db/statistics.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { waitFor } from './support/wait.js';

let testDb: TestDatabase;
let database: Database;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 2 });
  // Autovacuum stays out, so every ANALYZE here is the one under test.
  for (const table of ['messages', 'conversations']) await testDb.query(`alter table ${table} set (autovacuum_enabled = false)`);
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** The tables the next call that analyzes anything analyzes. */
const nextAnalysis = (what: string) =>
  waitFor(
    async () => {
      const analyzed = await analyzeGrownTables(database.db, log);
      return analyzed.length > 0 && analyzed;
    },
    what,
    20_000,
    250,
  );

const changesSinceAnalyze = async (table: string) =>
  Number((await testDb.query<{ n: string }>(`select n_mod_since_analyze as n from pg_stat_user_tables where relname = $1`, [table]))[0]?.n ?? 0);

const analyzedAt = async (table: string) =>
  (await testDb.query<{ at: Date | null }>(`select coalesce(last_analyze, last_autoanalyze) as at from pg_stat_user_tables where relname = $1`, [table]))[0]
    ?.at ?? null;

it('analyzes a hot table that outgrew its statistics, leaves the others, and waits for it to double again', async () => {
  const fill = (from: number, to: number) =>
    testDb.query(
      `insert into messages (channel, external_id, received_at, sender, thread, meta)
       select 'webform', 'm-' || n, now(), '{}'::jsonb, '{}'::jsonb, '{}'::jsonb from generate_series($1::integer, $2::integer) as n`,
      [from, to],
    );
  await fill(1, 2_000);
  // The cumulative statistics reach other sessions when the writer flushes them (within seconds).
  const first = await nextAnalysis('messages to be found grown');
  expect(first).toEqual(['messages']);
  expect(await analyzedAt('messages')).not.toBeNull();
  expect(await analyzedAt('conversations')).toBeNull();
  const [stats] = await testDb.query<{ reltuples: number }>(`select reltuples from pg_class where relname = 'messages'`);
  expect(Number(stats!.reltuples)).toBe(2_000);

  // 1,000 more is growth by half: not yet.
  await fill(2_001, 3_000);
  await waitFor(async () => (await changesSinceAnalyze('messages')) === 1_000, 'the 1,000 new rows to be counted', 20_000, 250);
  expect(await analyzeGrownTables(database.db, log)).toEqual([]);
  // Past double: again.
  await fill(3_001, 4_500);
  const second = await nextAnalysis('messages to be found grown again');
  expect(second).toEqual(['messages']);
});
