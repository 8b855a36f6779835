import { z } from 'zod';

const days = (what: string) =>
  z.number(`Vul het aantal werkdagen voor ${what} in.`).int('Een heel aantal werkdagen.').min(1, 'Minstens 1 werkdag.').max(60, 'Hoogstens 60 werkdagen.');

/** The complaint procedure's deadlines in working days (admin setting `complaint.deadlines`). */
export const complaintDeadlinesSchema = z.object({
  firstContactDays: days('het eerste contact'),
  resolveDays: days('de oplossing'),
  satisfactionDays: days('de vraag naar tevredenheid'),
  extraDays: days('de extra termijn'),
});
export type ComplaintDeadlines = z.infer<typeof complaintDeadlinesSchema>;

/**
 * From the seeds: first contact within 2 working days (001, 002), resolved within 2 weeks
 * (002, 004), satisfaction asked within 5 working days (001), 2 more working days when the
 * complainant is not satisfied (001) before escalation.
 */
export const DEFAULT_COMPLAINT_DEADLINES: ComplaintDeadlines = { firstContactDays: 2, resolveDays: 10, satisfactionDays: 5, extraDays: 2 };
