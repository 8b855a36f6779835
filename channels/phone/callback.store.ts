import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { runPrepared, type Db } from '../../src/db/database.js';
import { cases, outbox } from '../../src/db/schema.js';
import type { Sender } from '../../src/message.js';
import type { CallbackRequest } from '../../src/channel.js';

/**
 * A call-back task is an answer on the phone channel (the outbox row the deliver worker
 * marked sent) or a call-back asked for when a call was logged (CALLBACK_REQUEST_KIND).
 * It is open until a logged call-back sets meta.callbackDoneAt.
 */
export interface CallbackTask {
  id: number;
  reference: string;
  /** The case's team: the HR-loket's specialists call back their own tasks. */
  team: string | null;
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
  team: cases.team,
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
export async function openCallbackTasks(
  db: Db,
  options: { limit?: number; after?: number; team?: string } = {},
): Promise<{ tasks: CallbackTask[]; more: boolean }> {
  const limit = options.limit ?? 50;
  const after = options.after;
  const rows = await db
    .select(taskColumns)
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(
      and(
        eq(outbox.channel, 'phone'),
        eq(outbox.status, 'sent'),
        isOpen,
        after === undefined ? undefined : gt(outbox.id, after),
        options.team === undefined ? undefined : eq(cases.team, options.team),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(limit + 1);
  return { tasks: rows.slice(0, limit), more: rows.length > limit };
}

/** The outbox kind of a call-back an agent asked for while logging a call. */
export const CALLBACK_REQUEST_KIND = 'callback-request';

/**
 * A call-back an agent asks for on a case (not with a call: e.g. for the HR-loket), unless
 * one of the same purpose is still open on the case. Sent at once, like every task.
 */
export async function insertCallbackRequest(db: Db, request: CallbackRequest): Promise<number | undefined> {
  const rows = await runPrepared<{ id: number | string }>(
    db,
    sql`
    insert into outbox (case_id, channel, kind, locale, recipient, subject, body, meta, status, sent_at, receipt)
    select c.id, 'phone', ${CALLBACK_REQUEST_KIND}, c.locale, ${JSON.stringify(request.recipient)}::jsonb,
           coalesce(nullif(c.subject, ''), 'Terugbellen'), ${request.note},
           jsonb_build_object('agent', ${request.requestedBy}::text, 'purpose', ${request.purpose}::text), 'sent', now(),
           jsonb_build_object('channel', 'phone', 'callbackTask', true)
      from cases c
     where c.id = ${request.caseId}
       and not exists (select 1 from outbox o where o.case_id = c.id and o.kind = ${CALLBACK_REQUEST_KIND}
                         and o.meta->>'purpose' = ${request.purpose} and not (o.meta ? 'callbackDoneAt'))
    returning id`,
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

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
