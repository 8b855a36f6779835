import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { cases, messages, topicCorrections, users } from '../db/schema.js';
import type { Locale } from '../message.js';

/** A correction the classifier trains on: the text it read and the topic an agent chose. */
export interface Correction {
  subject: string;
  text: string;
  locale: Locale;
  topic: string;
}

/**
 * Records an agent's change of a case's topic as a labelled example: the case's first
 * message (what classification read), with the topic before and after. In the caller's
 * transaction, beside the case's own update and audit row.
 */
export async function recordCorrection(tx: Db | Tx, input: { caseId: number; from: string | null; to: string; accountId: number }): Promise<void> {
  await tx.execute(sql`
    insert into ${topicCorrections} (case_id, subject, text, locale, from_topic, to_topic, account_id)
    select ${input.caseId}, m.subject, left(m.text, 20000), coalesce(c.locale, 'nl'), ${input.from}, ${input.to}, ${input.accountId}
      from ${cases} c
      join lateral (select subject, text from ${messages} where case_id = c.id order by received_at, id limit 1) m on true
     where c.id = ${input.caseId}`);
}

/**
 * The corrections the model learns from: per case, its latest one not undone (a case
 * corrected twice teaches its final topic once).
 */
export async function activeCorrections(db: Db): Promise<Correction[]> {
  const rows = await db
    .selectDistinctOn([topicCorrections.caseId], {
      subject: topicCorrections.subject,
      text: topicCorrections.text,
      locale: topicCorrections.locale,
      topic: topicCorrections.toTopic,
    })
    .from(topicCorrections)
    .where(isNull(topicCorrections.undoneAt))
    .orderBy(topicCorrections.caseId, desc(topicCorrections.id));
  return rows.map((row) => ({ ...row, locale: row.locale === 'en' ? 'en' : 'nl' }));
}

/** What changes when a correction is made or undone: a process retrains when it differs from what it trained on. */
export async function correctionsVersion(db: Db): Promise<string> {
  const [row] = await db
    .select({
      version: sql<string>`count(*)::text || ':' || coalesce(max(${topicCorrections.id}), 0)::text || ':' || coalesce(max(${topicCorrections.undoneAt})::text, '-')`,
    })
    .from(topicCorrections);
  return row?.version ?? '0:0:-';
}

/** Corrections per topic they corrected to (not undone), for the admin. */
export async function correctionsPerTopic(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ topic: topicCorrections.toTopic, n: sql<number>`count(*)`.mapWith(Number) })
    .from(topicCorrections)
    .where(isNull(topicCorrections.undoneAt))
    .groupBy(topicCorrections.toTopic);
  return new Map(rows.map((row) => [row.topic, row.n]));
}

/** The latest corrections, newest first, with who made them and the case. */
export async function latestCorrections(db: Db, limit = 50) {
  return db
    .select({
      id: topicCorrections.id,
      reference: cases.reference,
      subject: topicCorrections.subject,
      from: topicCorrections.fromTopic,
      to: topicCorrections.toTopic,
      by: users.name,
      at: topicCorrections.createdAt,
      undoneAt: topicCorrections.undoneAt,
    })
    .from(topicCorrections)
    .leftJoin(cases, eq(cases.id, topicCorrections.caseId))
    .leftJoin(users, eq(users.id, topicCorrections.accountId))
    .orderBy(desc(topicCorrections.id))
    .limit(limit);
}

/** Undoes a correction (an admin's act): the model no longer learns from it. False when there was none to undo. */
export async function undoCorrection(db: Db, id: number, accountId: number): Promise<boolean> {
  const done = await db
    .update(topicCorrections)
    .set({ undoneAt: sql`now()`, undoneBy: accountId })
    .where(and(eq(topicCorrections.id, id), isNull(topicCorrections.undoneAt)))
    .returning({ id: topicCorrections.id });
  return done.length > 0;
}
