import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { cases, outbox } from '../../src/db/schema.js';
import type { Sender } from '../../src/message.js';

/**
 * A call-back task is an answer on the phone channel (the outbox row the deliver worker
 * marked sent) or a call-back asked for when a call was logged (CALLBACK_REQUEST_KIND).
 * It is open until a logged call-back sets meta.callbackDoneAt.
 */
export interface CallbackTask {
  id: number;
  reference: string;
  recipient: Sender;
  subject: string;
  body: string;
  since: Date;
  done: boolean;
}

const isOpen = sql`not (${outbox.meta} ? 'callbackDoneAt')`;

const taskColumns = {
  id: outbox.id,
  reference: cases.reference,
  recipient: outbox.recipient,
  subject: outbox.subject,
  body: outbox.body,
  since: sql<Date>`coalesce(${outbox.sentAt}, ${outbox.createdAt})`.mapWith(outbox.createdAt),
  done: sql<boolean>`${outbox.meta} ? 'callbackDoneAt'`,
};

/**
 * Open call-back tasks, oldest first (the first to call back; ids follow the order tasks
 * were made in), a page at a time: after the task `after` when given. One more than `limit` is read to tell whether another page follows.
 * The partial index outbox_open_callbacks_idx holds just these rows.
 */
export async function openCallbackTasks(db: Db, options: { limit?: number; after?: number } = {}): Promise<{ tasks: CallbackTask[]; more: boolean }> {
  const limit = options.limit ?? 50;
  const after = options.after;
  const rows = await db
    .select(taskColumns)
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(and(eq(outbox.channel, 'phone'), eq(outbox.status, 'sent'), isOpen, after === undefined ? undefined : gt(outbox.id, after)))
    .orderBy(asc(outbox.id))
    .limit(limit + 1);
  return { tasks: rows.slice(0, limit), more: rows.length > limit };
}

/** The outbox kind of a call-back an agent asked for while logging a call. */
export const CALLBACK_REQUEST_KIND = 'callback-request';

/**
 * A logged call that asks for a call-back is a call-back task at once: an outbox row on the
 * phone channel, sent (there is nothing to send; the open row is the task). Once per message,
 * so a routing job run again after a crash writes it once.
 */
export async function openCallbackRequest(db: Db, messageId: number): Promise<void> {
  await db.execute(sql`
    insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body, meta, status, sent_at, receipt)
    select m.case_id, m.id, 'phone', ${CALLBACK_REQUEST_KIND}, m.locale,
           jsonb_strip_nulls(jsonb_build_object('name', m.sender->>'name', 'phone', m.sender->>'phone')),
           m.subject, m.text, jsonb_build_object('agent', m.meta->'agent'->>'name'), 'sent', now(),
           jsonb_build_object('channel', 'phone', 'callbackTask', true)
      from messages m
     where m.id = ${messageId} and m.case_id is not null and m.channel = 'phone' and (m.meta->>'callback')::boolean
    on conflict (message_id, kind) where message_id is not null do nothing`);
}

/** A call-back task by its outbox id, open or done; undefined when it is no phone task. */
export async function findCallbackTask(db: Db, id: number): Promise<CallbackTask | undefined> {
  const [task] = await db
    .select(taskColumns)
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(and(eq(outbox.id, id), eq(outbox.channel, 'phone'), eq(outbox.status, 'sent')));
  return task;
}

/**
 * Closes a task with the call that did it, in one statement, so two agents logging the
 * same call-back close it once and the first call is the one recorded.
 */
export async function closeCallbackTask(db: Db, id: number, messageId: number): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ meta: sql`${outbox.meta} || jsonb_build_object('callbackDoneAt', now(), 'callbackMessageId', ${messageId}::bigint)` })
    .where(and(eq(outbox.id, id), eq(outbox.channel, 'phone'), eq(outbox.status, 'sent'), isOpen))
    .returning({ id: outbox.id });
  return rows.length > 0;
}
