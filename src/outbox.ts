import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { runPrepared, type Db } from './db/database.js';
import { outbox } from './db/schema.js';
import type { Sender, ThreadHints } from './message.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** Outbox kinds Loket writes by itself, which count towards AUTO_REPLY_LIMIT. */
export const AUTOMATIC_KINDS = ['acknowledgement', 'refused-too-large'] as const;

export interface AutomaticReply {
  messageId: number;
  channel: string;
  kind: (typeof AUTOMATIC_KINDS)[number];
  locale: string;
  recipient: Sender;
  subject: string;
  body: string;
}

/**
 * The statement's CTEs that write an automatic reply (`reply`, its id) unless its recipient
 * had `limit` of them in the last 24 hours (or the message has one already), and tie the
 * reply's Message-ID to the case so an answer to it joins the case. `target` is an earlier
 * CTE of the same statement that yields the case's id, or no row: then nothing is written.
 */
export function automaticReplyCtes(reply: AutomaticReply, target: SQL, rules: { limit: number; mailDomain: string }): SQL {
  const email = reply.recipient.email?.toLowerCase() ?? null;
  const kinds = sql.join(AUTOMATIC_KINDS.map((kind) => sql`${kind}`), sql`, `);
  return sql`reply as (
      insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body)
      select target.id, ${reply.messageId}, ${reply.channel}, ${reply.kind}, ${reply.locale},
             ${JSON.stringify(reply.recipient)}::jsonb, ${reply.subject}, ${reply.body}
        from ${target} as target
      where ${email}::text is null or (
        select count(*) from outbox
        where lower(recipient->>'email') = ${email} and kind in (${kinds}) and created_at > now() - interval '24 hours'
      ) < ${rules.limit}
      on conflict do nothing
      returning id, case_id
    ), reply_thread_key as (
      insert into thread_keys (key, case_id)
      -- the thread key (thread.ts) of outboxMessageId(reply.id, mailDomain)
      select ${`mid:loket.outbox.`} || reply.id || ${`@${rules.mailDomain.toLowerCase()}`}, reply.case_id from reply
      on conflict (key) do update set case_id = excluded.case_id
    )`;
}

/** The Message-ID of the mail an outbox row becomes: stable across retries. */
export function outboxMessageId(outboxId: number, domain: string): string {
  return `<loket.outbox.${outboxId}@${domain.toLowerCase()}>`;
}

/** The columns of a claimed outbox row that sending it reads. */
export type ClaimedRow = Pick<OutboxRow, 'id' | 'caseId' | 'channel' | 'kind' | 'locale' | 'recipient' | 'subject' | 'body' | 'meta' | 'createdAt'>;

/** A claimed outbox row with what sending it needs: its case and the thread it answers. */
export interface ClaimedOutbox {
  row: ClaimedRow;
  case: { id: number; reference: string; statusToken: string };
  thread: ThreadHints | null;
}

/**
 * Takes an outbox row for sending, in one statement with its case and thread. Only a
 * pending row, or one whose sender vanished longer than the lease ago, can be taken;
 * so two workers never send one row at once.
 */
export async function claimOutbox(db: Db, id: number, leaseSeconds: number): Promise<ClaimedOutbox | undefined> {
  const [found] = await runPrepared<{
    id: number | string;
    case_id: number | string;
    channel: string;
    kind: string;
    locale: string;
    recipient: Sender;
    subject: string;
    body: string;
    meta: Record<string, unknown>;
    created_at: string;
    reference: string;
    status_token: string;
    thread: ThreadHints | null;
  }>(
    db,
    sql`
    with claimed as (
      update outbox set status = 'sending', attempts = attempts + 1, claimed_at = now()
       where id = ${id}
         and (status = 'pending' or (status = 'sending' and claimed_at < now() - ${leaseSeconds}::integer * interval '1 second'))
      returning id, case_id, message_id, channel, kind, locale, recipient, subject, body, meta, created_at
    )
    select claimed.id, claimed.case_id, claimed.channel, claimed.kind, claimed.locale, claimed.recipient, claimed.subject,
           claimed.body, claimed.meta, claimed.created_at, c.reference, c.status_token, m.thread
      from claimed join cases c on c.id = claimed.case_id
      -- a later answer to one mail cannot take its message_id (one row per message and kind): meta names it
      left join messages m on m.id = coalesce(claimed.message_id, (claimed.meta->>'inReplyToMessageId')::bigint)`,
  );
  if (!found) return undefined;
  const caseId = Number(found.case_id);
  return {
    row: {
      id: Number(found.id),
      caseId,
      channel: found.channel,
      kind: found.kind,
      locale: found.locale,
      recipient: found.recipient,
      subject: found.subject,
      body: found.body,
      meta: found.meta,
      createdAt: new Date(found.created_at),
    },
    case: { id: caseId, reference: found.reference, statusToken: found.status_token },
    thread: found.thread,
  };
}

export async function markSent(db: Db, id: number, receipt: Record<string, unknown>): Promise<void> {
  await runPrepared(db, sql`
    update outbox set status = 'sent', receipt = ${JSON.stringify(receipt)}::jsonb, sent_at = now(), last_error = null
     where id = ${id}`);
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
