import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { calls, cases, messages } from '../../src/db/schema.js';
import { normalizePhone } from '../../src/phone-number.js';
import { normalizedPhoneSql } from '../../src/phone-number.js';
import type { TelephonyEvent } from './phone.schema.js';

export type CallRow = typeof calls.$inferSelect;

// In ON CONFLICT DO UPDATE, `calls.` is the stored row and `excluded.` the event's values.
const keepCaller = sql`coalesce(calls.caller_number, excluded.caller_number)`;

/**
 * Records one telephony event on the call's row, creating it when this is the first event
 * we hear of (events may arrive out of order or after a missed newCall). A repeated event
 * changes nothing: first times win.
 */
export async function applyCallEvent(db: Db, event: TelephonyEvent): Promise<CallRow> {
  const callerNumber = event.from ? normalizePhone(event.from) : null;
  const base = { callId: event.callId, callerNumber, startedAt: event.at };
  const insert = db.insert(calls);
  const query =
    event.type === 'newCall'
      ? insert.values({ ...base, state: 'ringing' }).onConflictDoUpdate({
          target: calls.callId,
          set: { callerNumber: keepCaller, startedAt: sql`least(calls.started_at, excluded.started_at)` },
        })
      : event.type === 'answer'
        ? insert.values({ ...base, state: 'answered', agent: event.agent ?? null, answeredAt: event.at }).onConflictDoUpdate({
            target: calls.callId,
            set: {
              callerNumber: keepCaller,
              agent: sql`coalesce(excluded.agent, calls.agent)`,
              answeredAt: sql`coalesce(calls.answered_at, excluded.answered_at)`,
              state: sql`case when calls.state = 'ended' then 'ended' else 'answered' end`,
            },
          })
        : insert.values({ ...base, state: 'ended', endedAt: event.at, durationSeconds: 0 }).onConflictDoUpdate({
            target: calls.callId,
            set: {
              callerNumber: keepCaller,
              state: 'ended',
              endedAt: sql`coalesce(calls.ended_at, excluded.ended_at)`,
              // Talk time when answered, otherwise how long the caller waited.
              durationSeconds: sql`greatest(0, round(extract(epoch from coalesce(calls.ended_at, excluded.ended_at) - coalesce(calls.answered_at, calls.started_at))))::integer`,
            },
          });
  const [row] = await query.returning();
  if (!row) throw new Error(`call ${event.callId} upsert returned no row`);
  return row;
}

/**
 * Ties a logged message to its call (the row is made when telephony never told us of
 * the call), and clears "to complete": an agent has now said what it was about.
 */
export async function linkCall(db: Db, link: { callId: string; messageId: number; agent: string; callerNumber?: string }): Promise<void> {
  await db
    .insert(calls)
    .values({
      callId: link.callId,
      callerNumber: link.callerNumber ?? null,
      agent: link.agent,
      state: 'answered',
      startedAt: sql`now()`,
      answeredAt: sql`now()`,
      messageId: link.messageId,
    })
    .onConflictDoUpdate({
      target: calls.callId,
      set: { messageId: sql`excluded.message_id`, toComplete: false, agent: sql`coalesce(calls.agent, excluded.agent)`, callerNumber: keepCaller },
    });
}

/** Marks a call logged by Loket at hangup; false when an agent logged it in the meantime. */
export async function markUnlogged(db: Db, callId: string, messageId: number): Promise<boolean> {
  const rows = await db
    .update(calls)
    .set({ messageId, toComplete: true })
    .where(and(eq(calls.callId, callId), isNull(calls.messageId)))
    .returning({ id: calls.id });
  return rows.length > 0;
}

/** A call with the registration number of the message logged for it, if any. */
export async function findCall(db: Db, callId: string): Promise<(CallRow & { reference: string | null }) | undefined> {
  const [row] = await db
    .select({ call: calls, reference: sql<string | null>`coalesce(${cases.reference}, ${messages.reference})` })
    .from(calls)
    .leftJoin(messages, eq(messages.id, calls.messageId))
    .leftJoin(cases, eq(cases.id, messages.caseId))
    .where(eq(calls.callId, callId))
    .limit(1);
  return row ? { ...row.call, reference: row.reference } : undefined;
}

export interface EarlierCase {
  reference: string;
  status: string;
  topic: string;
  subject: string;
  channel: string;
  openedAt: Date;
}

/**
 * Cases opened before `before` with a message from this number, newest first: who is
 * calling, and about what they called or wrote before. Numbers are compared normalized,
 * through the expression index messages_sender_phone_idx (src/db/schema.ts).
 */
export async function earlierCases(db: Db, number: string, before: Date, limit = 20): Promise<EarlierCase[]> {
  return earlierCasesQuery(db, number, before, limit);
}

/** The statement of earlierCases, unrun: test/phone-lookup.test.ts reads its plan. */
export function earlierCasesQuery(db: Db, number: string, before: Date, limit = 20) {
  const phone = sql`${messages.sender}->>'phone'`;
  return db
    .selectDistinct({
      reference: cases.reference,
      status: cases.status,
      topic: cases.topic,
      subject: cases.subject,
      channel: cases.channel,
      openedAt: cases.openedAt,
    })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(
      and(
        // The partial index's predicate, said outright (the planner could also infer it from the strict comparison).
        sql`(${phone}) is not null`,
        sql`${normalizedPhoneSql(phone)} = ${normalizePhone(number)}`,
        lt(cases.openedAt, before),
      ),
    )
    .orderBy(desc(cases.openedAt))
    .limit(limit);
}
