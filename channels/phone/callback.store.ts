import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { cases, outbox } from '../../src/db/schema.js';
import type { Sender } from '../../src/message.js';

/**
 * A call-back task is an answer on the phone channel: the outbox row the deliver worker
 * marked sent. It is open until a logged call-back sets meta.callbackDoneAt.
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

/** Open call-back tasks, oldest first: the first to call back. */
export async function openCallbackTasks(db: Db, limit = 200): Promise<CallbackTask[]> {
  return db
    .select(taskColumns)
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(and(eq(outbox.channel, 'phone'), eq(outbox.status, 'sent'), isOpen))
    .orderBy(asc(outbox.sentAt), asc(outbox.id))
    .limit(limit);
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
