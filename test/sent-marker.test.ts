/**
 * SentMarker on the real PostgreSQL: a mark that waits for the statement before it still
 * stamps its row with the moment the row was sent, not the moment its own statement ran.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { SentMarker } from '../src/outbox.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { sleep } from './support/wait.js';

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 2 });
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

it('stamps each row with the moment it was sent, also when its mark waited behind another', async () => {
  const [found] = await testDb.query<{ id: string }>(`
    insert into cases (reference, channel, topic, sender, status_token, answer_by)
    values ('ZK-2026-000001', 'webform', 'salaris', '{"name":"Els"}', 't1', '2026-01-10') returning id`);
  const rows = await testDb.query<{ id: string }>(
    `insert into outbox (case_id, channel, kind, recipient, subject, body, status)
     select $1, 'webform', 'acknowledgement', '{}'::jsonb, 'Ontvangen', 'Bedankt.', 'sending' from generate_series(1, 2)
     returning id`,
    [found!.id],
  );
  const [first, second] = rows.map((row) => Number(row.id)) as [number, number];
  const marker = new SentMarker(database.db);
  // Another transaction holds the first row, so the first mark's statement waits for it,
  // and the second mark waits for that statement.
  const locker = new pg.Client({ connectionString: testDb.url });
  await locker.connect();
  try {
    await locker.query('begin');
    await locker.query('select id from outbox where id = $1 for update', [first]);
    const firstAt = Date.now();
    const marked = [marker.mark(first, { transport: 'file' })];
    await sleep(20);
    const secondAt = Date.now();
    marked.push(marker.mark(second, { transport: 'file' }));
    await sleep(30);
    const releasedAt = Date.now();
    await locker.query('commit');
    await Promise.all(marked);

    const stamped = await testDb.query<{ id: string; status: string; sent_ms: number; receipt: unknown }>(
      `select id, status, extract(epoch from sent_at) * 1000 as sent_ms, receipt from outbox order by id`,
    );
    expect(stamped.map((row) => [Number(row.id), row.status, row.receipt])).toEqual([
      [first, 'sent', { transport: 'file' }],
      [second, 'sent', { transport: 'file' }],
    ]);
    const [firstSent, secondSent] = stamped.map((row) => Number(row.sent_ms)) as [number, number];
    // Milliseconds of the JavaScript clock against microseconds of PostgreSQL's.
    expect(firstSent).toBeGreaterThanOrEqual(firstAt);
    expect(firstSent).toBeLessThan(secondAt + 1);
    expect(secondSent).toBeGreaterThanOrEqual(secondAt);
    // Its statement ran only after the lock was gone.
    expect(secondSent).toBeLessThan(releasedAt);
  } finally {
    await locker.end();
  }
});
