import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { FALLBACK_TOPIC } from '../classify.js';
import { audit, cases, complaints, compliments } from '../db/schema.js';
import { COMPLAINT_TOPIC } from '../policy/rules.schema.js';
import { oneLineText } from '../text.js';
import type { Notifier } from '../workspace/notifications.js';
import { ComplaintRefused } from './complaint.store.js';
import type { ComplaintDetails } from './complaint.details.js';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The case page's complaint details form (the same three questions as the contact form). */
export const detailsBody = z
  .object({
    eerder: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/, 'Eerder registratienummer: hoogstens 40 letters, cijfers, punten en streepjes.')
        .optional(),
    ),
    laatste_contact: z.preprocess(blankToUndefined, z.iso.date('Datum van het laatste contact: vul een datum in als 2026-11-30.').optional()),
    medewerker: z.preprocess(blankToUndefined, oneLineText(200).optional()),
  })
  .transform((body): ComplaintDetails => ({ earlierReference: body.eerder, lastContactOn: body.laatste_contact, employeeName: body.medewerker }));

/** The compliment form: for an employee (their account) or a team, with a note. */
export const complimentBody = z
  .object({
    voor: z.preprocess(blankToUndefined, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional()),
    team: z.preprocess(blankToUndefined, oneLineText(100).optional()),
    toelichting: z.preprocess(blankToUndefined, z.string().trim().max(2_000, 'De toelichting is te lang (hoogstens 2.000 tekens).').optional()),
  })
  .refine((body) => body.voor !== undefined || body.team !== undefined, 'Kies de medewerker of het team voor wie het compliment is.');
export type ComplimentBody = z.infer<typeof complimentBody>;

/**
 * Records a compliment and tells the employee, or every member of the team, in the workspace.
 * A case the topic made a complaint that turns out to be a compliment leaves the procedure, if
 * nobody has worked on it yet (still registered); audited either way.
 */
export async function passCompliment(
  db: Db,
  notifier: Pick<Notifier, 'compliment'> | undefined,
  caseRow: { id: number; reference: string },
  body: ComplimentBody,
  actor: { id: number; name: string },
): Promise<void> {
  const complimentId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(compliments)
      .values({
        caseId: caseRow.id,
        accountId: body.voor ?? null,
        team: body.voor ? null : (body.team ?? null),
        note: body.toelichting ?? null,
        byName: actor.name,
      })
      .returning({ id: compliments.id });
    if (!row) throw new ComplaintRefused('Het compliment is niet vastgelegd.', 'COMPLIMENT_NOT_RECORDED');
    const withdrawn = await tx
      .delete(complaints)
      .where(and(eq(complaints.caseId, caseRow.id), eq(complaints.stage, 'registered'), sql`${complaints.handlerId} is null`))
      .returning({ caseId: complaints.caseId });
    // No longer about a complaint: the topic says so too, or the next round would register it again.
    if (withdrawn.length > 0)
      await tx
        .update(cases)
        .set({ topic: FALLBACK_TOPIC, updatedAt: sql`now()` })
        .where(and(eq(cases.id, caseRow.id), eq(cases.topic, COMPLAINT_TOPIC)));
    await tx.insert(audit).values({
      actor: actor.name,
      action: 'case.compliment',
      entity: 'case',
      entityId: caseRow.reference,
      data: {
        complimentId: row.id,
        to: body.voor ?? null,
        team: body.voor ? null : (body.team ?? null),
        notAComplaint: withdrawn.length > 0,
        actorId: actor.id,
      },
    });
    return row.id;
  });
  await notifier?.compliment(caseRow.id, { accountId: body.voor, team: body.team }, complimentId, actor);
}
