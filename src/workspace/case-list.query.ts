import { and, asc, count, eq, gte, isNotNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { addWorkingDays, amsterdamDate } from '../calendar.js';
import type { Db } from '../db/database.js';
import { cases, topics, users } from '../db/schema.js';
import { CHANNEL_NAMES } from '../message.js';

export const PAGE_SIZE = 50;

const flag = z
  .enum(['1', 'on', 'true'])
  .optional()
  .transform((value) => value !== undefined)
  .catch(false);
const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((value) => (value ? value : undefined))
  .catch(undefined);

/** The case list's filters, from the query string; a value that makes no sense is ignored. */
export const caseFilterSchema = z.object({
  team: optionalText,
  topic: optionalText,
  channel: z.enum(CHANNEL_NAMES).optional().catch(undefined),
  status: z.enum(['open', 'closed', 'all']).default('open').catch('open'),
  mine: flag,
  dueSoon: flag,
  overdue: flag,
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
  /** Search words: a name, an address, a number, a registration number or words of a message. */
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((value) => (value ? value : undefined))
    .catch(undefined),
});
export type CaseFilter = z.infer<typeof caseFilterSchema>;

export interface CaseListRow {
  id: number;
  reference: string;
  subject: string;
  senderName: string | undefined;
  channel: string;
  topic: string;
  team: string | null;
  answerBy: string;
  status: 'open' | 'closed';
  attention: string | null;
  assignee: string | null;
}

/** "Due soon": the answer date is today or within this many working days. */
export const DUE_SOON_WORKING_DAYS = 2;

/** The conditions of a filter, judged on the Amsterdam date of `now`. */
export function caseConditions(filter: CaseFilter, me: number, now: Date): SQL | undefined {
  const today = amsterdamDate(now);
  const conditions: (SQL | undefined)[] = [
    filter.team ? eq(cases.team, filter.team) : undefined,
    filter.topic ? eq(cases.topic, filter.topic) : undefined,
    filter.channel ? eq(cases.channel, filter.channel) : undefined,
    filter.status === 'all' ? undefined : eq(cases.status, filter.status),
    filter.mine ? eq(cases.assigneeId, me) : undefined,
    filter.dueSoon ? and(eq(cases.status, 'open'), gte(cases.answerBy, today), lte(cases.answerBy, addWorkingDays(now, DUE_SOON_WORKING_DAYS))) : undefined,
    filter.overdue ? and(eq(cases.status, 'open'), lt(cases.answerBy, today)) : undefined,
  ];
  return and(...conditions);
}

/** One page of cases, most urgent first, and how many match in all. */
export async function listCases(db: Db, filter: CaseFilter, me: number, now = new Date()): Promise<{ rows: CaseListRow[]; total: number }> {
  const where = caseConditions(filter, me, now);
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: cases.id,
        reference: cases.reference,
        subject: cases.subject,
        senderName: sql<string | undefined>`${cases.sender}->>'name'`,
        channel: cases.channel,
        topic: cases.topic,
        team: cases.team,
        answerBy: cases.answerBy,
        status: cases.status,
        attention: cases.attention,
        assignee: users.name,
      })
      .from(cases)
      .leftJoin(users, eq(users.id, cases.assigneeId))
      .where(where)
      .orderBy(asc(cases.answerBy), asc(cases.id))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(cases).where(where),
  ]);
  return { rows: rows.map((row) => ({ ...row, senderName: row.senderName ?? undefined })), total: counted?.n ?? 0 };
}

/** The teams of the topics, for the filter's choices. */
export async function knownTeams(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ team: topics.team }).from(topics).where(isNotNull(topics.team)).orderBy(asc(topics.team));
  return rows.flatMap((row) => (row.team ? [row.team] : []));
}
