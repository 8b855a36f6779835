import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { allRows, runPrepared, type Db } from './db/database.js';
import { outbox } from './db/schema.js';
import { blobContents } from './files.js';
import { GroupCommit } from './group-commit.js';
import type { AttachmentRef, Sender, ThreadHints } from './message.js';

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

/** The Message-ID of the mail an outbox row becomes: stable across retries. */
export function outboxMessageId(outboxId: number, domain: string): string {
  return `<loket.outbox.${outboxId}@${domain.toLowerCase()}>`;
}

/** The columns of a claimed outbox row that sending it reads. */
export type ClaimedRow = Pick<
  OutboxRow,
  'id' | 'caseId' | 'channel' | 'kind' | 'locale' | 'recipient' | 'subject' | 'body' | 'meta' | 'createdAt' | 'attempts' | 'attachments'
>;

/** A claimed outbox row with what sending it needs: its case and the thread it answers. */
export interface ClaimedOutbox {
  row: ClaimedRow;
  case: { id: number; reference: string; statusToken: string };
  thread: ThreadHints | null;
}

/** The columns of ClaimedRow, for a statement that returns a row to send (`returning ${CLAIMED_COLUMNS}`). */
export const CLAIMED_COLUMNS = sql.raw('id, case_id, channel, kind, locale, recipient, subject, body, meta, created_at, attempts, attachments');

/** A row of CLAIMED_COLUMNS as a statement gives it back: raw (bigint as text), or through row_to_json. */
export interface ClaimedColumns {
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
  attempts: number | string;
  attachments?: AttachmentRef[] | null;
}

/** A claimed row, its case and thread, from what a claiming statement returned. */
export function claimedOutbox(columns: ClaimedColumns, owner: { reference: string; statusToken: string }, thread: ThreadHints | null): ClaimedOutbox {
  const caseId = Number(columns.case_id);
  return {
    row: {
      id: Number(columns.id),
      caseId,
      channel: columns.channel,
      kind: columns.kind,
      locale: columns.locale,
      recipient: columns.recipient,
      subject: columns.subject,
      body: columns.body,
      meta: columns.meta,
      createdAt: new Date(columns.created_at),
      attempts: Number(columns.attempts),
      attachments: columns.attachments ?? [],
    },
    case: { id: caseId, ...owner },
    thread,
  };
}

/** The files of an outbox row with their bytes, in its order. */
export async function attachmentContents(db: Db, refs: readonly AttachmentRef[]): Promise<{ filename: string; contentType: string; content: Uint8Array }[]> {
  const contents = await blobContents(db, refs);
  return refs.map((ref, i) => ({ filename: ref.filename, contentType: ref.contentType, content: contents[i]! }));
}

/**
 * Takes an outbox row for sending, in one statement with its case and thread. Only a
 * pending row, or one whose sender vanished longer than the lease ago, can be taken;
 * so two workers never send one row at once.
 */
export async function claimOutbox(db: Db, id: number, leaseSeconds: number): Promise<ClaimedOutbox | undefined> {
  const [found] = await runPrepared<ClaimedColumns & { reference: string; status_token: string; thread: ThreadHints | null }>(
    db,
    sql`
    with claimed as (
      update outbox set status = 'sending', attempts = attempts + 1, claimed_at = now()
       where id = ${id}
         and (status = 'pending' or (status = 'sending' and claimed_at < now() - ${leaseSeconds}::integer * interval '1 second'))
      returning message_id, ${CLAIMED_COLUMNS}
    )
    select claimed.*, c.reference, c.status_token, m.thread
      from claimed join cases c on c.id = claimed.case_id
      -- a later answer to one mail cannot take its message_id (one row per message and kind): meta names it
      left join messages m on m.id = coalesce(claimed.message_id, (claimed.meta->>'inReplyToMessageId')::bigint)`,
  );
  return found && claimedOutbox(found, { reference: found.reference, statusToken: found.status_token }, found.thread);
}

/**
 * Marks sent rows sent, many in one statement: marks made while the previous statement
 * runs go together with the next (GroupCommit). One sender alone is marked at once, so
 * this adds no wait; under load it saves a round trip per row. Each row keeps the moment
 * it was sent as its `sent_at`, however long its mark waited for the statement before.
 */
export class SentMarker {
  private readonly group: GroupCommit<SentMark, void>;

  constructor(db: Db) {
    this.group = new GroupCommit<SentMark, void>(async (marks) => {
      await markSentMany(db, marks);
      return marks.map(() => undefined);
    });
  }

  /** Resolves once the row is marked sent in the database. */
  mark(id: number, receipt: Record<string, unknown>): Promise<void> {
    return this.group.run({ id, receipt, sentAt: new Date() });
  }
}

export interface SentMark {
  id: number;
  receipt: Record<string, unknown>;
  /** When the row was sent, by the sending process's clock: its `sent_at`, whenever the mark is written. */
  sentAt: Date;
}

async function markSentMany(db: Db, rows: SentMark[]): Promise<void> {
  await runPrepared(db, markSentStatement(rows));
}

/**
 * The statement that marks rows sent (a test reads its plan). One row by `id =`, whose plan
 * PostgreSQL keeps (for a few ids through unnest it plans again on every call). unnest, not
 * jsonb_to_recordset: the planner takes the latter for 100 rows, and until the outbox holds
 * some 20,000 a scan of it all then looks cheaper than 100 look-ups (test/batch-plans).
 */
export function markSentStatement(rows: SentMark[]): SQL {
  const [only] = rows;
  if (rows.length === 1 && only) {
    return sql`
      update outbox set status = 'sent', receipt = ${JSON.stringify(only.receipt)}::jsonb, sent_at = ${only.sentAt.toISOString()}::timestamptz, last_error = null
       where id = ${only.id}`;
  }
  const ids = sql.param(rows.map(({ id }) => id));
  const receipts = sql.param(rows.map(({ receipt }) => JSON.stringify(receipt)));
  const sentAts = sql.param(rows.map(({ sentAt }) => sentAt.toISOString()));
  return sql`
    update outbox set status = 'sent', receipt = mark.receipt, sent_at = mark.sent_at, last_error = null
      from (select * from unnest(${ids}::bigint[], ${receipts}::jsonb[], ${sentAts}::timestamptz[]) as mark(id, receipt, sent_at) ${allRows(rows.length)}) as mark
     where outbox.id = mark.id`;
}

/** Gives a row back after a transient failure, so the next attempt can claim it. */
export async function releaseOutbox(db: Db, id: number, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'pending', lastError: error }).where(eq(outbox.id, id));
}

/**
 * Gives a row back after a temporary failure once its job has no retries left: it waits
 * until `delayMs` from now, then the sweep sends it again. A temporary failure never ends a row.
 */
export async function postponeOutbox(db: Db, id: number, error: string, delayMs: number): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'pending', lastError: error, nextAttemptAt: sql`now() + ${Math.round(delayMs)}::integer * interval '1 millisecond'` })
    .where(eq(outbox.id, id));
}

/** Records a permanent failure on the row and flags its case for a person; the row is never retried. */
export async function failOutbox(db: Db, id: number, error: string): Promise<void> {
  await db.execute(sql`
    with failed as (update outbox set status = 'failed', last_error = ${error} where id = ${id} returning case_id)
    update cases set attention = coalesce(attention, 'delivery-failed'), updated_at = now() from failed where cases.id = failed.case_id`);
}

/** Rows never sent: pending for a while, or taken by a sender that vanished. */
export async function unsentOutboxIds(db: Db, olderThanSeconds: number, leaseSeconds: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      or(
        and(
          eq(outbox.status, 'pending'),
          lt(outbox.createdAt, sql`now() - ${olderThanSeconds}::integer * interval '1 second'`),
          sql`(${outbox.nextAttemptAt} is null or ${outbox.nextAttemptAt} <= now())`,
        ),
        and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, sql`now() - ${leaseSeconds}::integer * interval '1 second'`)),
      ),
    )
    .orderBy(outbox.id)
    .limit(limit);
  return rows.map((row) => row.id);
}
