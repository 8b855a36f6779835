/**
 * The caller's earlier cases, looked up by normalized number through the expression index
 * messages_sender_phone_idx. Real: PostgreSQL (a database of its own, migrated by Loket),
 * its planner and its statistics; 20,000 messages so a scan of them all would show.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { earlierCases, earlierCasesQuery } from '../channels/phone/call.store.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { accessesTo, planNodes, type PlanNode } from './support/plan.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

let testDb: TestDatabase;
let database: Database;
const FILLER = 20_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 2 });
  // One caller with two earlier cases, the number spelled differently each time.
  await testDb.query(`
    insert into cases (reference, channel, topic, sender, status_token, answer_by, created_at)
    values ('LKT-2026-000001', 'phone', 'salaris', '{"name":"Els"}', 't1', '2026-01-10', '2026-01-05T10:00:00Z'),
           ('LKT-2026-000002', 'email', 'verlof', '{"name":"Els"}', 't2', '2026-02-10', '2026-02-05T10:00:00Z'),
           ('LKT-2026-000003', 'phone', 'verlof', '{"name":"Piet"}', 't3', '2026-02-10', '2026-02-06T10:00:00Z')`);
  await testDb.query(`
    insert into messages (channel, external_id, received_at, sender, thread, meta, case_id)
    select 'phone', 'els-1', now(), '{"name":"Els","phone":"+31 (0)6-1234 5678"}'::jsonb, '{}'::jsonb, '{}'::jsonb, id from cases where reference = 'LKT-2026-000001'
    union all
    select 'email', 'els-2', now(), '{"name":"Els","email":"els@example.org","phone":"0031612345678"}'::jsonb, '{}'::jsonb, '{}'::jsonb, id from cases where reference = 'LKT-2026-000002'
    union all
    select 'phone', 'piet-1', now(), '{"name":"Piet","phone":"06 87654321"}'::jsonb, '{}'::jsonb, '{}'::jsonb, id from cases where reference = 'LKT-2026-000003'`);
  // Other callers (and mail without a number) in bulk, each message in a case of its own as
  // routing leaves them; then fresh statistics, as autovacuum would make them.
  await testDb.query(
    `insert into cases (reference, channel, topic, sender, status_token, answer_by, created_at)
     select 'LKT-2025-' || lpad(n::text, 6, '0'), 'phone', 'salaris', '{}'::jsonb, 'f' || n, '2025-06-01', '2025-05-01T00:00:00Z'::timestamptz + n * interval '1 minute'
       from generate_series(1, $1::integer) as n`,
    [FILLER],
  );
  await testDb.query(
    `insert into messages (channel, external_id, received_at, sender, thread, meta, case_id)
     select case when n % 4 = 0 then 'email' else 'phone' end, 'filler-' || n, now(),
            case when n % 4 = 0 then jsonb_build_object('email', 'x' || n || '@example.org')
                 else jsonb_build_object('phone', '+31 6 ' || lpad((20000000 + n)::text, 8, '0')) end,
            '{}'::jsonb, '{}'::jsonb, c.id
       from generate_series(1, $1::integer) as n join cases c on c.reference = 'LKT-2025-' || lpad(n::text, 6, '0')`,
    [FILLER],
  );
  await testDb.query('analyze messages');
  await testDb.query('analyze cases');
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** Every node of the plan PostgreSQL makes for the statement earlierCases runs. */
async function planOf(number: string, run: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]> = testDb.query): Promise<PlanNode[]> {
  return planNodes(run, earlierCasesQuery(database.db, number, new Date('2026-06-01T00:00:00Z')).toSQL());
}

const onMessages = (nodes: PlanNode[]) => accessesTo('messages', nodes);

it('finds a caller\u2019s earlier cases however the number was written, newest first', async () => {
  const found = await earlierCases(database.db, '06-12345678', new Date('2026-06-01T00:00:00Z'));
  expect(found.map((c) => c.reference)).toEqual(['LKT-2026-000002', 'LKT-2026-000001']);
  expect(await earlierCases(database.db, '+31 6 1234 5678', new Date('2026-02-01T00:00:00Z'))).toHaveLength(1);
});

it('looks the number up through the phone index instead of reading every message', async () => {
  const scans = onMessages(await planOf('0612345678'));
  expect(scans.length).toBeGreaterThan(0);
  expect(
    scans.every((scan) => scan.endsWith('messages_sender_phone_idx')),
    scans.join(', '),
  ).toBe(true);
});

it('would read every message without the index (the plan check above can tell)', async () => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('drop index messages_sender_phone_idx');
    const scans = onMessages(await planOf('0612345678', async (text, params) => (await client.query(text, params)).rows));
    expect(scans).toEqual(['Seq Scan']);
  } finally {
    await client.query('rollback');
    await client.end();
  }
});
