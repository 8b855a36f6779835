import { z } from 'zod';

const months = (what: string) =>
  z.number(`Vul het aantal maanden voor ${what} in.`).int('Een heel aantal maanden.').min(1, 'Minstens 1 maand.').max(240, 'Hoogstens 240 maanden.');

/**
 * How long a closed case keeps its personal data, per kind, in months after closing (admin
 * setting `retention.periods`, issue 20). A complaint is any case with a complaint procedure;
 * the others go by channel: mail and form are questions, then chat, call and letter.
 */
export const retentionPeriodsSchema = z.object({
  questionMonths: months('vragen (mail en formulier)'),
  complaintMonths: months('klachten'),
  chatMonths: months('chats'),
  callMonths: months('telefoongesprekken'),
  letterMonths: months('brieven'),
});
export type RetentionPeriods = z.infer<typeof retentionPeriodsSchema>;

/**
 * Defaults (README, "Retention"): a question 12 months after closing (follow-up questions and
 * a complaint about its handling come within the year); a complaint 24 months (the appeal to
 * the Nationale ombudsman is open for a year after the complaint's handling, with a year's
 * margin for its procedure); a chat 3 months and a call 6 months (short contacts, answered while
 * they happened); a letter as a question, 12 months.
 */
export const DEFAULT_RETENTION: RetentionPeriods = { questionMonths: 12, complaintMonths: 24, chatMonths: 3, callMonths: 6, letterMonths: 12 };
