import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './db/database.js';
import { audit, cases, messages, referenceCounters, threadKeys } from './db/schema.js';
import { formatReference } from './reference.js';

export type CaseRow = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;

/** An unguessable token for a case page URL. */
export const newStatusToken = () => randomBytes(24).toString('base64url');

/**
 * The next registration number of a year. The counter row stays locked until the
 * transaction ends, so numbers are unique and without gaps under concurrency.
 */
export async function allocateReference(tx: Tx | Db, prefix: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(referenceCounters)
    .values({ prefix, year, last: 1 })
    .onConflictDoUpdate({
      target: [referenceCounters.prefix, referenceCounters.year],
      set: { last: sql`${referenceCounters.last} + 1` },
    })
    .returning({ last: referenceCounters.last });
  if (!row) throw new Error('reference counter returned no row');
  return formatReference(prefix, year, row.last);
}

/** The first of the given registration numbers that names an open case, in the order given. */
export async function findOpenCaseByReference(tx: Tx | Db, references: string[]): Promise<CaseRow | undefined> {
  if (references.length === 0) return undefined;
  const rows = await tx
    .select()
    .from(cases)
    .where(and(inArray(cases.reference, references), eq(cases.status, 'open')));
  return references.map((reference) => rows.find((row) => row.reference === reference)).find(Boolean);
}

/**
 * A registration number already told to a sender whose message is not routed yet:
 * its case is about to be opened, and a follow-up quoting it belongs there.
 */
export async function findReservedReference(
  tx: Tx | Db,
  references: string[],
): Promise<{ reference: string; statusToken: string } | undefined> {
  for (const reference of references) {
    if (await caseExists(tx, 'reference', reference)) continue;
    const [row] = await tx
      .select({ reference: messages.reference, statusToken: messages.statusToken })
      .from(messages)
      .where(and(eq(messages.reference, reference), isNotNull(messages.statusToken)))
      .limit(1);
    if (row?.reference && row.statusToken) return { reference: row.reference, statusToken: row.statusToken };
  }
  return undefined;
}

/** The newest open case any of these thread keys belongs to. */
export async function findOpenCaseByThreadKeys(tx: Tx | Db, keys: string[]): Promise<CaseRow | undefined> {
  if (keys.length === 0) return undefined;
  const [row] = await tx
    .select({ c: cases })
    .from(threadKeys)
    .innerJoin(cases, eq(cases.id, threadKeys.caseId))
    .where(and(inArray(threadKeys.key, keys), eq(cases.status, 'open')))
    .orderBy(desc(cases.id))
    .limit(1);
  return row?.c;
}

/**
 * Serializes every transaction that touches one of these keys until it ends, so two
 * messages of one thread never open two cases. Pass the keys sorted: no deadlock.
 */
export async function lockThreadKeys(tx: Tx, keys: string[]): Promise<void> {
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** Points thread keys at a case; a key that named an older (closed) case moves along. */
export async function attachThreadKeys(tx: Tx, caseId: number, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx
    .insert(threadKeys)
    .values(keys.map((key) => ({ key, caseId })))
    .onConflictDoUpdate({ target: threadKeys.key, set: { caseId } });
}

/**
 * The cases, open or closed, that carry one of these registration numbers or this case
 * page token: one round trip for what routing asks of a message's quoted numbers.
 */
export async function casesNamed(tx: Tx | Db, references: string[], statusToken: string | null): Promise<CaseRow[]> {
  const conditions = [
    references.length > 0 ? inArray(cases.reference, references) : undefined,
    statusToken ? eq(cases.statusToken, statusToken) : undefined,
  ].filter((condition) => condition !== undefined);
  if (conditions.length === 0) return [];
  return tx.select().from(cases).where(or(...conditions));
}

/** Marks a message routed into its case and records why, in one statement. */
export async function markRouted(
  tx: Tx,
  message: { id: number; caseId: number; topic: string },
  entry: { action: string; data: Record<string, unknown> },
): Promise<void> {
  await tx.execute(sql`
    with routed as (
      update ${messages} set case_id = ${message.caseId}, topic = ${message.topic}, routed_at = now() where id = ${message.id}
    )
    insert into ${audit} (actor, action, entity, entity_id, data)
    values ('router', ${entry.action}, 'case', ${String(message.caseId)}, ${JSON.stringify(entry.data)}::jsonb)`);
}

export async function caseExists(tx: Tx | Db, column: 'reference' | 'statusToken', value: string): Promise<boolean> {
  const [row] = await tx.select({ id: cases.id }).from(cases).where(eq(cases[column], value)).limit(1);
  return row !== undefined;
}
