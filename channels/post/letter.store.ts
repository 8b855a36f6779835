import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { cases, letters, messages } from '../../src/db/schema.js';
import { storeBlob, type IncomingFile } from '../../src/intake.js';
import type { AttachmentRef, Sender } from '../../src/message.js';

export type LetterRow = typeof letters.$inferSelect;
/** A letter with the registration number it got once submitted. */
export type Letter = LetterRow & { reference: string | null };

/** Stores the scans as blobs and the letter (status 'ocr') in one transaction; returns its id. */
export async function insertLetter(
  db: Db,
  input: { sender: Sender; letterDate?: string; scans: { file: IncomingFile; ref: AttachmentRef }[]; enteredBy: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    for (const { file, ref } of input.scans) await storeBlob(tx, file.content, ref.sha256);
    const [row] = await tx
      .insert(letters)
      .values({
        sender: input.sender,
        letterDate: input.letterDate ?? null,
        scans: input.scans.map(({ ref }) => ref),
        enteredBy: input.enteredBy,
      })
      .returning({ id: letters.id });
    if (!row) throw new Error('letter insert returned no row');
    return row.id;
  });
}

/** The letter, with the reference of its case (or the one reserved at intake) once submitted. */
export async function findLetter(db: Db, id: number): Promise<Letter | undefined> {
  const [row] = await db
    .select({ letter: letters, reference: sql<string | null>`coalesce(${cases.reference}, ${messages.reference})` })
    .from(letters)
    .leftJoin(messages, eq(messages.id, letters.messageId))
    .leftJoin(cases, eq(cases.id, messages.caseId))
    .where(eq(letters.id, id));
  return row ? { ...row.letter, reference: row.reference } : undefined;
}

/** Stores what OCR read; only a letter still waiting for it (an agent may have moved on). */
export async function finishOcr(db: Db, id: number, text: string): Promise<boolean> {
  const done = await db
    .update(letters)
    .set({ status: 'review', ocrText: text, ocrError: null, updatedAt: sql`now()` })
    .where(and(eq(letters.id, id), eq(letters.status, 'ocr')))
    .returning({ id: letters.id });
  return done.length > 0;
}

/** OCR gave up: the agent types the text instead. */
export async function failOcr(db: Db, id: number, error: string): Promise<void> {
  await db
    .update(letters)
    .set({ status: 'failed', ocrError: error, updatedAt: sql`now()` })
    .where(and(eq(letters.id, id), eq(letters.status, 'ocr')));
}

export async function markSubmitted(db: Db, id: number, messageId: number): Promise<void> {
  await db
    .update(letters)
    .set({ status: 'submitted', messageId, updatedAt: sql`now()` })
    .where(eq(letters.id, id));
}
