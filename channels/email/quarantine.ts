import { desc, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../src/db/database.js';
import { blobs, quarantine } from '../../src/db/schema.js';
import type { AcceptResult, Intake } from '../../src/intake.js';

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
 * mail; the quarantine row stays as evidence, marked reprocessed, with an audit row naming
 * `actor` and the message it became. Undefined when the mail is no longer held.
 */
export async function reprocessQuarantined(db: Db, intake: Intake, id: number, actor: string): Promise<AcceptResult | undefined> {
  // Taken first (resolved_at set while still held), so a discard at the same moment finds it
  // busy instead of discarding a mail that is being taken in; a claim whose taker died expires.
  const [row] = await db
    .execute(
      sql`
    update quarantine set resolved_at = now()
     where id = ${id} and status = 'held' and (resolved_at is null or resolved_at < now() - ${CLAIM_EXPIRES})
    returning created_at`,
    )
    .then(rowsOf<{ created_at: string }>);
  if (!row) return undefined;
  try {
    const raw = await quarantinedRaw(db, id);
    if (!raw) throw new Error(`quarantine ${id} has no raw source to reprocess`);
    // The mail parser is loaded on first use: most processes never reprocess a mail.
    const { parseMail } = await import('./email.parse.js');
    const parsed = await parseMail(raw, new Date(row.created_at));
    const accepted = await intake.accept(parsed.message, parsed.files, { raw });
    await resolve(db, id, 'reprocessed', actor, { messageId: accepted.messageId, duplicate: accepted.duplicate });
    return accepted;
  } catch (err) {
    await db.execute(sql`update quarantine set resolved_at = null where id = ${id} and status = 'held'`);
    throw err;
  }
}

/** How long a reprocess holds a quarantined mail before another may take it. */
const CLAIM_EXPIRES = sql`interval '10 minutes'`;

/**
 * Leaves a quarantined mail out for good; its raw source stays for the record. False when
 * it was no longer held (someone else resolved it first): then nothing is written.
 */
export async function discardQuarantined(db: Db, id: number, actor: string): Promise<boolean> {
  return resolve(db, id, 'discarded', actor, {});
}

/** The status change and its audit row in one statement: no audit without the change, no change without its audit. */
async function resolve(db: Db, id: number, status: 'reprocessed' | 'discarded', actor: string, data: Record<string, unknown>): Promise<boolean> {
  const result = await db.execute(sql`
    with resolved as (
      update quarantine set status = ${status}, resolved_at = now()
       where id = ${id} and status = 'held'
         ${status === 'discarded' ? sql`and (resolved_at is null or resolved_at < now() - ${CLAIM_EXPIRES})` : sql``}
      returning id, source, external_id, reason
    ), audited as (
      insert into audit (actor, action, entity, entity_id, data)
      select ${actor}, ${`quarantine.${status}`}, 'quarantine', resolved.id::text,
             jsonb_build_object('source', resolved.source, 'externalId', resolved.external_id, 'reason', resolved.reason) || ${JSON.stringify(data)}::jsonb
        from resolved
    )
    select id from resolved`);
  return rowsOf(result).length > 0;
}
