import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { allRows, runPrepared, type Db, type Tx } from '../../src/db/database.js';
import { conversations, messages, outbox } from '../../src/db/schema.js';
import type { Sender } from '../../src/message.js';
import type { ChatLine, ClosedReason, ConversationState, ConversationSummary, QueueEntry } from './chat.protocol.js';

export type ConversationRow = typeof conversations.$inferSelect;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The state the protocol shows: a conversation whose first message is still being routed waits. */
export const visibleState = (row: Pick<ConversationRow, 'state'>): ConversationState => (row.state === 'new' ? 'waiting' : row.state);

export interface NewConversation {
  visitor: Sender;
  topic: string | null;
  locale: 'nl' | 'en';
  transcript: boolean;
  /** Outside office hours a conversation starts closed: nobody would answer it. */
  offline: boolean;
}

/** A new conversation and its resume token; only the token's hash is stored. */
export async function createConversation(db: Db, input: NewConversation): Promise<{ row: ConversationRow; token: string }> {
  const [created] = await createConversations(db, [input]);
  if (!created) throw new Error('conversation insert returned no row');
  return created;
}

/** New conversations in one statement, answered in the order asked. */
export async function createConversations(db: Db, inputs: NewConversation[]): Promise<{ row: ConversationRow; token: string }[]> {
  const made = inputs.map((input) => ({ input, id: randomUUID(), token: randomBytes(24).toString('base64url') }));
  const rows = await db
    .insert(conversations)
    .values(
      made.map(({ input, id, token }) => ({
        id,
        tokenHash: hashToken(token),
        visitor: input.visitor,
        topic: input.topic,
        locale: input.locale,
        transcript: input.transcript,
        ...(input.offline
          ? { state: 'closed' as const, closedReason: 'closed' as const, closedAt: sql`now()` }
          : { state: 'new' as const, closedReason: null, closedAt: null }),
      })),
    )
    .returning();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return made.map(({ id, token }) => {
    const row = byId.get(id);
    if (!row) throw new Error(`conversation ${id} was not inserted`);
    return { row, token };
  });
}

export async function conversationByToken(db: Db, token: string): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.tokenHash, hashToken(token)));
  return row;
}

export async function conversationById(db: Db | Tx, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  return row;
}

/**
 * Records activity of conversations in one statement; for each, in the order asked, its
 * state, or undefined when it is closed or gone (ConversationWriter batches the calls).
 */
export async function touchConversations(db: Db, ids: string[]): Promise<(ConversationRow['state'] | undefined)[]> {
  const rows = await runPrepared<{ id: string; state: ConversationRow['state'] }>(db, touchStatement(ids));
  const states = new Map(rows.map((row) => [row.id, row.state]));
  return ids.map((id) => states.get(id));
}

/**
 * The touch of open conversations (a test reads its plan). Named statements, as every
 * visitor line runs one: one id by `id =`, whose plan PostgreSQL keeps; several through
 * unnest, which tells the planner how few they are, so it looks each up by primary key.
 */
export function touchStatement(ids: string[]): SQL {
  return ids.length === 1
    ? sql`update conversations set last_activity_at = now() where id = ${ids[0]} and state <> 'closed' returning id, state`
    : sql`update conversations set last_activity_at = now()
            from (select * from unnest(${sql.param(ids)}::text[]) as touched(id) ${allRows(ids.length)}) as touched
           where conversations.id = touched.id and conversations.state <> 'closed'
       returning conversations.id, conversations.state`;
}

/** Whether the visitor's line with this client id is stored (intake's external id for chat). */
export async function visitorLineStored(db: Db, conversationId: string, clientId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.channel, 'chat'), eq(messages.externalId, `${conversationId}:${clientId}`)));
  return row !== undefined;
}

/** Exactly one agent wins: only a waiting conversation can be accepted. */
/**
 * The agent takes a waiting conversation, unless it is taken already or the agent holds
 * `maxHeld` conversations (the admin's limit per agent).
 */
export async function acceptConversation(db: Db, id: string, agent: string, maxHeld = Number.POSITIVE_INFINITY): Promise<ConversationRow | undefined> {
  const limit = Number.isFinite(maxHeld) ? maxHeld : 1_000_000;
  const [row] = await db
    .update(conversations)
    .set({ state: 'with-agent', agent, lastActivityAt: sql`now()` })
    .where(
      and(
        eq(conversations.id, id),
        eq(conversations.state, 'waiting'),
        sql`(select count(*) from ${conversations} held where held.agent = ${agent} and held.state = 'with-agent') < ${limit}`,
      ),
    )
    .returning();
  return row;
}

/** The case of a conversation an agent accepted becomes theirs, unless a colleague has it already. */
export async function assignConversationCase(db: Db, conversationId: string, accountId: number): Promise<void> {
  await runPrepared(
    db,
    sql`update cases set assignee_id = ${accountId}, updated_at = now()
         where id = (select case_id from conversations where id = ${conversationId}) and assignee_id is null`,
  );
}

/** How many conversations the agent holds now. */
export async function heldCount(db: Db, agent: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.agent, agent), eq(conversations.state, 'with-agent')));
  return row?.n ?? 0;
}

/** The agent's own conversation, or undefined when it is not (or no longer) theirs. */
export async function heldBy(db: Db, id: string, agent: string): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.agent, agent), eq(conversations.state, 'with-agent')));
  return row;
}

/** Ids of the conversations an agent holds now. */
export async function conversationsHeldBy(db: Db, agent: string): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.agent, agent), eq(conversations.state, 'with-agent')));
  return rows.map((row) => row.id);
}

/** An agent's line as an outbox row; the same client id twice is one row. */
export async function insertAgentLine(db: Db, row: ConversationRow, agent: string, clientId: string, text: string): Promise<number> {
  if (row.caseId === null) throw new Error(`conversation ${row.id} is with an agent but has no case`);
  const key = `${row.id}:${clientId}`;
  const [inserted] = await db
    .insert(outbox)
    .values({
      caseId: row.caseId,
      channel: 'chat',
      kind: CHAT_ANSWER_KIND,
      locale: row.locale,
      recipient: row.visitor,
      subject: '',
      body: text,
      meta: { conversationId: row.id, clientId: key, agent },
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  if (inserted) return inserted.id;
  const [first] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(sql`${outbox.meta} ? 'clientId' and ${outbox.meta}->>'clientId' = ${key}`);
  if (!first) throw new Error(`agent line ${key} neither inserted nor found`);
  return first.id;
}

/** Hands a conversation to another agent, or (without one) back to the line. */
export async function transferConversation(db: Db, id: string, from: string, to: string | undefined): Promise<ConversationRow | undefined> {
  const [row] = await db
    .update(conversations)
    .set(to ? { agent: to, lastActivityAt: sql`now()` } : { state: 'waiting', agent: null, waitingSince: sql`now()`, lastActivityAt: sql`now()` })
    .where(and(eq(conversations.id, id), eq(conversations.agent, from), eq(conversations.state, 'with-agent')))
    .returning();
  return row;
}

/** Closes an open conversation; undefined when it was closed already (or is not the agent's). */
export async function closeConversation(
  db: Db,
  id: string,
  reason: ClosedReason,
  onlyAgent?: string,
): Promise<{ row: ConversationRow; wasWaiting: boolean } | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update');
    if (!before || before.state === 'closed') return undefined;
    if (onlyAgent && (before.agent !== onlyAgent || before.state !== 'with-agent')) return undefined;
    const [row] = await tx
      .update(conversations)
      .set({ state: 'closed', closedReason: reason, closedAt: sql`now()`, lastActivityAt: sql`now()` })
      .where(eq(conversations.id, id))
      .returning();
    return row ? { row, wasWaiting: before.state === 'waiting' } : undefined;
  });
}

/** Closes conversations idle longer than `minutes`; returns them as they were before. */
export async function closeIdleConversations(db: Db, minutes: number, limit = 500): Promise<ConversationRow[]> {
  return db.transaction(async (tx) => {
    const idle = await tx
      .select()
      .from(conversations)
      .where(and(ne(conversations.state, 'closed'), lt(conversations.lastActivityAt, sql`now() - ${minutes}::integer * interval '1 minute'`)))
      .orderBy(asc(conversations.lastActivityAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (idle.length === 0) return [];
    await tx
      .update(conversations)
      .set({ state: 'closed', closedReason: 'timeout', closedAt: sql`now()` })
      .where(
        inArray(
          conversations.id,
          idle.map((row) => row.id),
        ),
      );
    return idle;
  });
}

/** Conversations waiting for an agent, first come first served. */
export async function waitingLine(db: Db, limit = 500): Promise<QueueEntry[]> {
  const rows = await runPrepared<{ id: string; visitor: Sender; topic: string | null; waiting_since: Date | string | null; first_line: string | null }>(
    db,
    sql`
    select c.id, c.visitor, c.topic, c.waiting_since, first.text as first_line
      from conversations c
      left join lateral (
        select m.text from messages m
         where m.channel = 'chat' and m.thread->>'conversationId' = c.id
         order by m.received_at, m.id limit 1
      ) first on true
     where c.state = 'waiting'
     order by c.waiting_since, c.id
     limit ${limit}`,
  );
  return rows.map((row, i) => ({
    conversationId: row.id,
    name: row.visitor.name ?? '',
    topic: row.topic,
    waitingSince: (row.waiting_since ? new Date(row.waiting_since) : new Date()).toISOString(),
    position: i + 1,
    firstLine: row.first_line ? firstWords(row.first_line) : undefined,
  }));
}

/** The start of a line, for the waiting queue: enough to choose by, not the whole story. */
function firstWords(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/** What an agent's console shows of a conversation it holds: who, about what, its case and its lines. */
export async function conversationSummary(db: Db, id: string): Promise<ConversationSummary | undefined> {
  const [row] = await runPrepared<{ id: string; visitor: Sender; topic: string | null; reference: string | null }>(
    db,
    sql`select c.id, c.visitor, c.topic, k.reference from conversations c left join cases k on k.id = c.case_id where c.id = ${id}`,
  );
  if (!row) return undefined;
  return {
    conversationId: row.id,
    name: row.visitor.name ?? '',
    topic: row.topic,
    reference: row.reference ?? undefined,
    history: await conversationHistory(db, id),
  };
}

/** Place in line of a waiting conversation: 1 is next. */
export async function positionInLine(db: Db, row: ConversationRow): Promise<number | undefined> {
  if (row.state !== 'waiting' || !row.waitingSince) return undefined;
  const [ahead] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(
      and(
        eq(conversations.state, 'waiting'),
        sql`(${conversations.waitingSince}, ${conversations.id}) < (${row.waitingSince.toISOString()}::timestamptz, ${row.id})`,
      ),
    );
  return (ahead?.n ?? 0) + 1;
}

/**
 * Everything said in a conversation, in order: the visitor's messages (stored by intake)
 * and the system's and agents' lines (outbox rows, sent or on their way).
 */
export async function conversationHistory(db: Db, id: string): Promise<ChatLine[]> {
  const [said, answered] = await Promise.all([
    db
      .select({ id: messages.id, text: messages.text, at: messages.receivedAt })
      .from(messages)
      .where(and(eq(messages.channel, 'chat'), sql`${messages.thread}->>'conversationId' = ${id}`)),
    db
      .select({ id: outbox.id, kind: outbox.kind, text: outbox.body, at: outbox.createdAt })
      .from(outbox)
      .where(and(eq(outbox.channel, 'chat'), sql`${outbox.meta}->>'conversationId' = ${id}`, ne(outbox.status, 'failed'))),
  ]);
  const lines: ChatLine[] = [
    ...said.map((m) => ({ id: `m${m.id}`, from: 'visitor' as const, text: m.text, at: m.at.toISOString() })),
    ...answered.map((o) => ({ id: `o${o.id}`, from: lineFrom(o.kind), text: o.text, at: o.at.toISOString() })),
  ];
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** Chat outbox kinds: an agent's line, or one Loket wrote (redirect, notices). */
export const CHAT_ANSWER_KIND = 'chat-answer';
export const CHAT_REDIRECT_KIND = 'chat-redirect';

const lineFrom = (kind: string): ChatLine['from'] => (kind === CHAT_ANSWER_KIND ? 'agent' : 'system');
