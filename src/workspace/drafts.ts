import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { answerDrafts } from '../db/schema.js';

/** The answer this account is writing on the case, if it saved one. */
export async function savedDraft(db: Db, caseId: number, accountId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ text: answerDrafts.text })
    .from(answerDrafts)
    .where(and(eq(answerDrafts.caseId, caseId), eq(answerDrafts.accountId, accountId)));
  return row?.text;
}

/** Keeps what the account typed (an empty text removes the draft); returns when. */
export async function saveDraft(db: Db, caseId: number, accountId: number, text: string): Promise<Date> {
  if (!text.trim()) {
    await deleteDraft(db, caseId, accountId);
    return new Date();
  }
  const [row] = await db
    .insert(answerDrafts)
    .values({ caseId, accountId, text })
    .onConflictDoUpdate({ target: [answerDrafts.caseId, answerDrafts.accountId], set: { text, updatedAt: sql`now()` } })
    .returning({ updatedAt: answerDrafts.updatedAt });
  return row?.updatedAt ?? new Date();
}

/** The answer was sent: its draft is gone. */
export async function deleteDraft(db: Db, caseId: number, accountId: number): Promise<void> {
  await db.delete(answerDrafts).where(and(eq(answerDrafts.caseId, caseId), eq(answerDrafts.accountId, accountId)));
}
