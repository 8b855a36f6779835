import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { blobs, cases, outbox } from '../../src/db/schema.js';
import type { Sender } from '../../src/message.js';

/** A letter Loket wrote that still has to go into an envelope. */
export interface PrintItem {
  outboxId: number;
  reference: string;
  kind: string;
  recipient: Sender;
  subject: string;
  sentAt: Date | null;
}

/** Sent on the post channel (rendered as a PDF) but not yet marked as posted. */
const waitingToPrint = and(eq(outbox.channel, 'post'), eq(outbox.status, 'sent'), sql`not (${outbox.meta} ? 'postedAt')`);

/**
 * The print queue, oldest first (what was written first goes out first; ids follow that
 * order), a page at a time after the row `after`; one more is read to tell whether another
 * page follows. The partial index outbox_to_print_idx holds just these rows.
 */
export async function printQueue(db: Db, options: { limit?: number; after?: number } = {}): Promise<{ items: PrintItem[]; more: boolean }> {
  const limit = options.limit ?? 100;
  const rows = await db
    .select({
      outboxId: outbox.id,
      reference: cases.reference,
      kind: outbox.kind,
      recipient: outbox.recipient,
      subject: outbox.subject,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(and(waitingToPrint, options.after === undefined ? undefined : gt(outbox.id, options.after)))
    .orderBy(asc(outbox.id))
    .limit(limit + 1);
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

/** The rendered PDF of a post row that was sent (printed or not). */
export async function letterPdf(db: Db, outboxId: number): Promise<{ reference: string; content: Uint8Array } | undefined> {
  const [row] = await db
    .select({ reference: cases.reference, content: blobs.content })
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .innerJoin(blobs, eq(blobs.sha256, sql`${outbox.receipt}->>'pdfSha256'`))
    .where(and(eq(outbox.id, outboxId), eq(outbox.channel, 'post'), eq(outbox.status, 'sent')));
  return row;
}

/** Marks a printed letter as posted; false when it was not waiting (already posted, unknown). */
export async function markPosted(db: Db, outboxId: number, by: string): Promise<boolean> {
  const stamp = { postedAt: new Date().toISOString(), postedBy: by };
  const rows = await db
    .update(outbox)
    .set({ meta: sql`${outbox.meta} || ${JSON.stringify(stamp)}::jsonb` })
    .where(and(eq(outbox.id, outboxId), waitingToPrint))
    .returning({ id: outbox.id });
  return rows.length > 0;
}
