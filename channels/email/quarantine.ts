import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { blobs, quarantine } from '../../src/db/schema.js';
import type { AcceptResult, Intake } from '../../src/intake.js';
import { parseMail } from './email.parse.js';

export type QuarantineRow = typeof quarantine.$inferSelect;

/** Mail held in quarantine, newest first (what admins review). */
export async function listQuarantine(db: Db, status: 'held' | 'all' = 'held'): Promise<QuarantineRow[]> {
  const query = db.select().from(quarantine).orderBy(desc(quarantine.id)).limit(500);
  return status === 'all' ? query : query.where(eq(quarantine.status, 'held'));
}

/** The raw source of a quarantined mail, as it arrived. */
export async function quarantinedRaw(db: Db, id: number): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ content: blobs.content })
    .from(quarantine)
    .innerJoin(blobs, eq(blobs.sha256, quarantine.rawSha256))
    .where(eq(quarantine.id, id));
  return row ? Buffer.from(row.content) : undefined;
}

/**
 * Takes a quarantined mail in again (after a fix in Loket, say). It then flows like any
 * mail; the quarantine row stays as evidence, marked reprocessed.
 */
export async function reprocessQuarantined(db: Db, intake: Intake, id: number): Promise<AcceptResult> {
  const raw = await quarantinedRaw(db, id);
  if (!raw) throw new Error(`quarantine ${id} has no raw source to reprocess`);
  const [row] = await db.select({ createdAt: quarantine.createdAt }).from(quarantine).where(eq(quarantine.id, id));
  const parsed = await parseMail(raw, row?.createdAt ?? new Date());
  const accepted = await intake.accept(parsed.message, parsed.files, { raw });
  await resolve(db, id, 'reprocessed');
  return accepted;
}

/** Leaves a quarantined mail out for good; its raw source stays for the record. */
export async function discardQuarantined(db: Db, id: number): Promise<void> {
  await resolve(db, id, 'discarded');
}

async function resolve(db: Db, id: number, status: 'reprocessed' | 'discarded'): Promise<void> {
  await db
    .update(quarantine)
    .set({ status, resolvedAt: sql`now()` })
    .where(and(eq(quarantine.id, id), eq(quarantine.status, 'held')));
}
