import { and, eq, getTableColumns, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from './db/database.js';
import type { Tx } from './db/database.js';
import { cases, messages, outbox, threadKeys } from './db/schema.js';
import type { Sender, ThreadHints } from './message.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** Outbox kinds Loket writes by itself, which count towards AUTO_REPLY_LIMIT. */
export const AUTOMATIC_KINDS = ['acknowledgement', 'refused-too-large'] as const;

export interface AutomaticReply {
  caseId: number;
  messageId: number;
  channel: string;
  kind: (typeof AUTOMATIC_KINDS)[number];
  locale: string;
  recipient: Sender;
  subject: string;
  body: string;
}

/**
 * Writes an automatic reply unless its recipient had `limit` of them in the last 24 hours
 * (or the message has one already), and ties the reply's Message-ID to the case so an
 * answer to it joins the case — one statement.
 */
export async function insertAutomaticReply(tx: Tx, reply: AutomaticReply, rules: { limit: number; mailDomain: string }): Promise<number | undefined> {
  const email = reply.recipient.email?.toLowerCase() ?? null;
  const kinds = sql.join(AUTOMATIC_KINDS.map((kind) => sql`${kind}`), sql`, `);
  const result = await tx.execute(sql`
    with reply as (
      insert into ${outbox} (case_id, message_id, channel, kind, locale, recipient, subject, body)
      select ${reply.caseId}, ${reply.messageId}, ${reply.channel}, ${reply.kind}, ${reply.locale},
             ${JSON.stringify(reply.recipient)}::jsonb, ${reply.subject}, ${reply.body}
      where ${email}::text is null or (
        select count(*) from ${outbox}
        where lower(recipient->>'email') = ${email} and kind in (${kinds}) and created_at > now() - interval '24 hours'
      ) < ${rules.limit}
      on conflict do nothing
      returning id, case_id
    ), thread_key as (
      insert into ${threadKeys} (key, case_id)
      -- the thread key (thread.ts) of outboxMessageId(reply.id, mailDomain)
      select ${`mid:loket.outbox.`} || reply.id || ${`@${rules.mailDomain.toLowerCase()}`}, reply.case_id from reply
      on conflict (key) do update set case_id = excluded.case_id
    )
    select id from reply`);
  const [row] = (result as unknown as { rows: { id: number | string }[] }).rows;
  return row ? Number(row.id) : undefined;
}

/** The Message-ID of the mail an outbox row becomes: stable across retries. */
export function outboxMessageId(outboxId: number, domain: string): string {
  return `<loket.outbox.${outboxId}@${domain.toLowerCase()}>`;
}

/** A claimed outbox row with what sending it needs: its case and the thread it answers. */
export interface ClaimedOutbox {
  row: OutboxRow;
  case: { id: number; reference: string; statusToken: string };
  thread: ThreadHints | null;
}

/**
 * Takes an outbox row for sending, in one statement with its case and thread. Only a
 * pending row, or one whose sender vanished longer than the lease ago, can be taken;
 * so two workers never send one row at once.
 */
export async function claimOutbox(db: Db, id: number, leaseSeconds: number): Promise<ClaimedOutbox | undefined> {
  const claimed = db.$with('claimed').as(
    db
      .update(outbox)
      .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, claimedAt: sql`now()` })
      .where(
        and(
          eq(outbox.id, id),
          or(
            eq(outbox.status, 'pending'),
            and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, sql`now() - ${leaseSeconds}::integer * interval '1 second'`)),
          ),
        ),
      )
      .returning(),
  );
  const [found] = await db
    .with(claimed)
    .select({
      // Every outbox column, read from the CTE rather than the table.
      row: Object.fromEntries(Object.keys(getTableColumns(outbox)).map((key) => [key, claimed[key as keyof typeof claimed]])) as unknown as typeof claimed._.selectedFields,
      case: { id: cases.id, reference: cases.reference, statusToken: cases.statusToken },
      thread: messages.thread,
    })
    .from(claimed)
    .innerJoin(cases, eq(cases.id, claimed.caseId))
    .leftJoin(messages, eq(messages.id, claimed.messageId));
  return found as ClaimedOutbox | undefined;
}

export async function markSent(db: Db, id: number, receipt: Record<string, unknown>): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', receipt, sentAt: sql`now()`, lastError: null })
    .where(eq(outbox.id, id));
}

/** Gives a row back after a transient failure, so the next attempt can claim it. */
export async function releaseOutbox(db: Db, id: number, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'pending', lastError: error }).where(eq(outbox.id, id));
}

/** Records a permanent failure on the row; it is shown on the case and never retried. */
export async function failOutbox(db: Db, id: number, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'failed', lastError: error }).where(eq(outbox.id, id));
}

/** Rows never sent: pending for a while, or taken by a sender that vanished. */
export async function unsentOutboxIds(db: Db, olderThanSeconds: number, leaseSeconds: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      or(
        and(eq(outbox.status, 'pending'), lt(outbox.createdAt, sql`now() - ${olderThanSeconds}::integer * interval '1 second'`)),
        and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, sql`now() - ${leaseSeconds}::integer * interval '1 second'`)),
      ),
    )
    .orderBy(outbox.id)
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function outboxRows(db: Db, ids: number[]): Promise<OutboxRow[]> {
  return ids.length === 0 ? [] : db.select().from(outbox).where(inArray(outbox.id, ids));
}
