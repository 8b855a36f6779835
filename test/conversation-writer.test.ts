/**
 * The chat's batched writes (ConversationWriter) on the real PostgreSQL: a database of its
 * own, migrated by Loket. Visitors who start or speak at the same moment share a statement;
 * each must still get its own answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationWriter } from '../channels/chat/conversation.writer.js';
import { closeConversation, conversationByToken } from '../channels/chat/conversation.store.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', poolSize: 4 });
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

const visitor = (i: number) => ({
  visitor: { name: `Bezoeker ${i}` },
  topic: i % 2 ? 'inloggen' : null,
  locale: i % 3 ? ('nl' as const) : ('en' as const),
  transcript: false,
  offline: i % 10 === 0,
});

it('a burst of starts gives each visitor their own conversation and a token that finds it', async () => {
  const writer = new ConversationWriter(database.db);
  const started = await Promise.all(Array.from({ length: 60 }, (_, i) => writer.create(visitor(i))));
  expect(new Set(started.map(({ row }) => row.id)).size).toBe(60);
  for (const [i, { row, token }] of started.entries()) {
    expect(row.visitor.name).toBe(`Bezoeker ${i}`);
    expect(row.state).toBe(i % 10 === 0 ? 'closed' : 'new');
    expect(row.closedReason).toBe(i % 10 === 0 ? 'closed' : null);
    expect((await conversationByToken(database.db, token))?.id).toBe(row.id);
  }
  const [count] = await testDb.query<{ n: string }>('select count(*) as n from conversations');
  expect(Number(count!.n)).toBe(60);
});

it('a burst of touches answers each with its own state: open ones theirs, closed or unknown ones nothing', async () => {
  const writer = new ConversationWriter(database.db);
  const rows = await Promise.all(Array.from({ length: 30 }, (_, i) => writer.create({ ...visitor(i), offline: false })));
  const closed = rows.filter((_, i) => i % 4 === 0).map(({ row }) => row.id);
  for (const id of closed) await closeConversation(database.db, id, 'closed');
  const ids = rows.map(({ row }) => row.id);
  await testDb.query(`update conversations set last_activity_at = now() - interval '1 hour' where id = any($1)`, [ids]);

  const asked = [...ids, ids[1]!, 'no-such-conversation'];
  const states = await Promise.all(asked.map((id) => writer.touch(id)));
  expect(states).toEqual(asked.map((id) => (id === 'no-such-conversation' || closed.includes(id) ? undefined : 'new')));
  const stale = await testDb.query<{ id: string }>(`select id from conversations where id = any($1) and last_activity_at < now() - interval '30 minutes'`, [
    ids,
  ]);
  expect(stale.map((row) => row.id).sort()).toEqual([...closed].sort());
});
