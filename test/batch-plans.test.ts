/**
 * The batched statements on the hot path — intake of messages that arrive together, opening
 * their cases, and marking outbox rows sent — look up the few rows they touch by index. Real: PostgreSQL (a
 * database of its own, migrated by Loket), its planner and its statistics. With 5,000
 * messages and outbox rows, a statement that tells the planner nothing of its batch's size
 * (jsonb_to_recordset: it assumes 100 rows) gets a scan of the whole table; one that does
 * (unnest of arrays) gets a few index look-ups. Conversations get 5,000 filler rows too.
 */
import { randomUUID } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCasesStatement, type PreparedOpening } from '../src/routing/case.opening.js';
import { openDatabase, runPrepared, type Database } from '../src/db/database.js';
import { inboundMessageSchema } from '../src/message.js';
import { insertMessagesStatement } from '../src/message.store.js';
import { markSentStatement } from '../src/outbox.js';
import { touchStatement } from '../channels/chat/conversation.store.js';
import { accessesTo, genericPlanNodes, planNodes } from './support/plan.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

let testDb: TestDatabase;
let database: Database;
const FILLER = 5_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 2 });
  await testDb.query(`
    insert into cases (reference, channel, topic, sender, status_token, answer_by)
    values ('ZK-2026-000001', 'webform', 'salaris', '{"name":"Els"}', 't1', '2026-01-10')`);
  await testDb.query(
    `insert into messages (channel, external_id, received_at, sender, thread, meta, routed_at)
     select 'webform', 'filler-' || n, now(), '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, now() from generate_series(1, $1::integer) as n`,
    [FILLER],
  );
  await testDb.query(
    `insert into outbox (case_id, channel, kind, recipient, subject, body, status)
     select c.id, 'webform', 'acknowledgement', '{}'::jsonb, 'Ontvangen', 'Bedankt.', 'sending'
       from generate_series(1, $1::integer) as n, cases c`,
    [FILLER],
  );
  await testDb.query(
    `insert into conversations (id, token_hash, visitor) select 'filler-' || n, 'hash-' || n, '{}'::jsonb from generate_series(1, $1::integer) as n`,
    [FILLER],
  );
  await testDb.query('analyze messages');
  await testDb.query('analyze outbox');
  await testDb.query('analyze conversations');
  // A backlog the statistics have not seen yet (as in a burst, before autovacuum analyzes):
  // the planner believes the index of unrouted messages holds next to nothing.
  await testDb.query('update messages set routed_at = null');
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/**
 * How the statement reaches `table`: every plan node on it, as "<node type>" or "<node type> <index>",
 * in the plan for these values and in the generic plan a named statement keeps, both together.
 */
async function accessTo(table: string, statement: SQL): Promise<string[]> {
  const query = new PgDialect().sqlToQuery(statement);
  const [custom, generic] = await Promise.all([planNodes(testDb.query, query), genericPlanNodes(testDb.url, query)]);
  return [...accessesTo(table, custom), ...accessesTo(table, generic)];
}

const form = (i: number) =>
  inboundMessageSchema.parse({
    channel: 'webform',
    externalId: randomUUID(),
    receivedAt: new Date(),
    sender: { name: `Persoon ${i}`, email: `p${i}@example.org` },
    subject: 'Vraag',
    text: 'Een vraag over verlof.',
  });

it('inserts a batch of messages probing the unique index for those stored before, never scanning messages', async () => {
  for (const size of [2, 5, 10]) {
    const items = Array.from({ length: size }, (_, i) => ({
      message: form(i),
      reservation: { kind: 'new' as const, prefix: 'ZK', year: 2026, statusToken: randomUUID() },
    }));
    const access = await accessTo('messages', insertMessagesStatement(items));
    expect(access, `a batch of ${size}`).not.toContain('Seq Scan');
    expect(access.some((node) => node.startsWith('Index'))).toBe(true);
  }
});

it('marks outbox rows sent by their ids through the primary key, one or many', async () => {
  for (const size of [1, 2, 5, 10]) {
    const rows = Array.from({ length: size }, (_, i) => ({ id: 100 + i * 7, receipt: { transport: 'file' }, sentAt: new Date() }));
    const access = await accessTo('outbox', markSentStatement(rows));
    expect(access, `a batch of ${size}`).not.toContain('Seq Scan');
    expect(access.some((node) => node.startsWith('Index'))).toBe(true);
  }
});

it('opens a batch of cases reaching messages, outbox and conversations by index, never scanning them', async () => {
  const opening = (i: number): PreparedOpening => {
    const chat = i % 2 === 1;
    const conversation = chat
      ? {
          id: randomUUID(),
          onlyFirst: true,
          decision: { state: 'closed' as const, closedReason: 'redirected', reply: { kind: 'chat-redirect', body: { nl: 'Formulier.', en: 'Form.' } } },
        }
      : undefined;
    const sender = { name: `Persoon ${i}`, email: `p${i}@example.org` };
    return {
      messageId: 10 + i * 13,
      channel: chat ? 'chat' : 'webform',
      topic: 'salaris',
      team: null,
      priority: 'normal',
      attention: null,
      subject: 'Vraag',
      sender: JSON.stringify(sender),
      locale: 'nl',
      statusToken: randomUUID(),
      answerBy: '2026-01-10',
      answerDue: '2026-01-10T21:00:00Z',
      firstResponseDue: '2026-01-09T12:00:00Z',
      known: chat ? null : `ZK-2026-${String(100 + i).padStart(6, '0')}`,
      counter: chat ? { prefix: 'ZK', year: 2026 } : null,
      placeholder: '{nummer}',
      keys: conversation ? [`conv:chat:${conversation.id}`] : [],
      conversation,
      reply: chat
        ? undefined
        : {
            messageId: 10 + i * 13,
            channel: 'webform',
            kind: 'acknowledgement',
            locale: 'nl',
            recipient: sender,
            subject: 'Ontvangen {nummer}',
            body: 'Bedankt.',
          },
      thread: { references: [] },
      claim: true,
      autoReplyLimit: 20,
      mailDomain: 'loket.localhost',
    };
  };
  for (const size of [1, 2, 5, 10]) {
    const statement = openCasesStatement(Array.from({ length: size }, (_, i) => opening(i)));
    for (const table of ['messages', 'outbox', 'conversations']) {
      const access = await accessTo(table, statement);
      expect(access, `${table}, a batch of ${size}`).not.toContain('Seq Scan');
    }
    // By the primary key: the filler is unrouted, and the index of unrouted messages would read all of it.
    const toMessages = await accessTo('messages', statement);
    expect(
      toMessages.filter((node) => node !== 'ModifyTable'),
      `messages, a batch of ${size}`,
    ).toEqual(toMessages.filter((node) => node !== 'ModifyTable').map(() => 'Index Scan messages_pkey'));
    expect(toMessages).toContain('Index Scan messages_pkey');
  }
});

it('touches a batch of conversations through the primary key, one or many', async () => {
  for (const size of [1, 2, 5, 10]) {
    const ids = Array.from({ length: size }, (_, i) => `filler-${1 + i * 11}`);
    const access = await accessTo('conversations', touchStatement(ids));
    expect(access, `a batch of ${size}`).not.toContain('Seq Scan');
    expect(access, `a batch of ${size}`).toContain('Index Scan conversations_pkey');
  }
});

it('a batch statement run again and again is planned once and kept, not planned on every call', async () => {
  // One connection, so the prepared statements and their counters read below are the ones used.
  const single = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 1 });
  try {
    const statements = [
      markSentStatement([100, 107, 114].map((id) => ({ id, receipt: { transport: 'file' }, sentAt: new Date() }))),
      touchStatement(['filler-1', 'filler-12', 'filler-23']),
    ];
    for (let call = 0; call < 8; call++) for (const statement of statements) await runPrepared(single.db, statement);
    const prepared = await runPrepared<{ statement: string; generic_plans: string; custom_plans: string }>(
      single.db,
      sql`select statement, generic_plans, custom_plans from pg_prepared_statements where statement like '%unnest%' and statement not like '%pg_prepared_statements%'`,
    );
    expect(prepared).toHaveLength(statements.length);
    for (const row of prepared) {
      expect(Number(row.custom_plans), row.statement).toBeLessThanOrEqual(5);
      expect(Number(row.generic_plans), row.statement).toBeGreaterThanOrEqual(3);
    }
  } finally {
    await single.close();
  }
});
