/**
 * SentMarker on the real PostgreSQL: marks made moments apart are written together, and each
 * row's sent_at says when it was sent, not when the shared statement ran.
 */
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

it('writes marks made moments apart in one go, each row stamped with the moment it was sent', async () => {
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

  const firstAt = Date.now();
  const marked = [marker.mark(first, { transport: 'file' })];
  await sleep(5);
  const secondAt = Date.now();
  marked.push(marker.mark(second, { transport: 'file' }));
  await Promise.all(marked);
  const written = Date.now();

  const stamped = await testDb.query<{ id: string; status: string; sent_ms: number; receipt: unknown }>(
    `select id, status, extract(epoch from sent_at) * 1000 as sent_ms, receipt from outbox order by id`,
  );
  expect(stamped.map((row) => [Number(row.id), row.status, row.receipt])).toEqual([
    [first, 'sent', { transport: 'file' }],
    [second, 'sent', { transport: 'file' }],
  ]);
  const [firstSent, secondSent] = stamped.map((row) => Number(row.sent_ms)) as [number, number];
  // Each stamp is its own mark's moment (milliseconds of the JavaScript clock) ...
  expect(firstSent).toBeGreaterThanOrEqual(firstAt);
  expect(firstSent).toBeLessThan(secondAt + 1);
  expect(secondSent).toBeGreaterThanOrEqual(secondAt);
  // ... although the statement ran after the first mark had waited for company.
  expect(written - firstAt).toBeGreaterThanOrEqual(19);
  expect(written - firstSent).toBeGreaterThanOrEqual(15);
});
