import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { addWorkingDays, amsterdamDate } from '../calendar.js';
import type { Db } from '../db/database.js';
import { cases, topics, users } from '../db/schema.js';
import { CHANNEL_NAMES } from '../message.js';
import { cappedCount } from './capped-count.js';

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

/** The views an agent switches between; each is a set of filters. */
export const CASE_VIEWS = ['open', 'mine', 'team', 'unassigned', 'waiting', 'due-today', 'overdue', 'closed', 'all'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

/** How the list is ordered: by answer date (most urgent first), or by age (oldest or newest first). */
export const CASE_SORTS = ['due', 'oldest', 'newest'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

/** Other spellings of a sort a link may carry: by age ascending is the youngest (newest) first, `-age` the oldest first. */
const SORT_ALIASES: Record<string, CaseSort> = { age: 'newest', '-age': 'oldest' };

/** The case list's filters, from the query string; a value that makes no sense is ignored. */
export const caseFilterSchema = z.object({
  view: z.enum(CASE_VIEWS).optional().catch(undefined),
  sort: z.preprocess((value) => (typeof value === 'string' ? (SORT_ALIASES[value] ?? value) : value), z.enum(CASE_SORTS).default('due')).catch('due'),
  team: optionalText,
  topic: optionalText,
  channel: z.enum(CHANNEL_NAMES).optional().catch(undefined),
  status: z.enum(['open', 'closed', 'all']).default('open').catch('open'),
  mine: flag,
  dueSoon: flag,
  overdue: flag,
  /** Where the page starts: after the case with this sort value and id (keyset paging). */
  na: z
    .string()
    .regex(/^[0-9TZ:.-]{1,40}~\d{1,15}$/)
    .optional()
    .catch(undefined),
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
  receivedAt: Date;
  status: 'open' | 'closed';
  attention: string | null;
  assignee: string | null;
  /** Whose turn it is: the citizen wrote last (us), we answered (and wait for the citizen), or closed. */
  turn: 'us' | 'answered' | 'waiting' | 'closed';
  /** The SLA: when the answer is due (moved on by pauses), when it waits for the citizen, when it closed. */
  answerDue: Date | null;
  waitingSince: Date | null;
  closedAt: Date | null;
}

/** "Due soon": the answer date is today or within this many working days. */
export const DUE_SOON_WORKING_DAYS = 2;

/** A count beyond this is shown as "more than": counting a year of cases on every page load costs too much. */
export const COUNT_CAP = 1_000;

/** Who looks at the list: "mine" and "my team" are theirs. */
export interface ListViewer {
  id: number;
  team: string | null;
}

/** The conditions of a filter, judged on the Amsterdam date of `now`. */
export function caseConditions(filter: CaseFilter, me: ListViewer, now: Date): SQL | undefined {
  const today = amsterdamDate(now);
  const view = filter.view;
  const status = view === 'closed' ? 'closed' : view === 'all' ? 'all' : view ? 'open' : filter.status;
  const conditions: (SQL | undefined)[] = [
    filter.team ? eq(cases.team, filter.team) : undefined,
    filter.topic ? eq(cases.topic, filter.topic) : undefined,
    filter.channel ? eq(cases.channel, filter.channel) : undefined,
    status === 'all' ? undefined : eq(cases.status, status),
    filter.mine || view === 'mine' ? eq(cases.assigneeId, me.id) : undefined,
    // Someone in no team has no team's cases (rather than all of them).
    view === 'team' ? (me.team ? eq(cases.team, me.team) : sql`false`) : undefined,
    view === 'unassigned' ? isNull(cases.assigneeId) : undefined,
    view === 'waiting' ? isNotNull(cases.waitingSince) : undefined,
    view === 'due-today' ? eq(cases.answerBy, today) : undefined,
    filter.dueSoon ? and(eq(cases.status, 'open'), gte(cases.answerBy, today), lte(cases.answerBy, addWorkingDays(now, DUE_SOON_WORKING_DAYS))) : undefined,
    filter.overdue || view === 'overdue' ? and(eq(cases.status, 'open'), lt(cases.answerBy, today)) : undefined,
  ];
  return and(...conditions);
}

/** The sort column and direction of a sort, and the value of a row in it (for the next page's cursor). */
function ordering(sort: CaseSort) {
  if (sort === 'due') return { column: cases.answerBy, descending: false, cast: 'date' as const };
  return { column: cases.openedAt, descending: sort === 'newest', cast: 'timestamptz' as const };
}

/**
 * One page of cases in the chosen order, after the cursor `filter.na`, and how many match
 * (counted up to COUNT_CAP; a count past it is reused for seconds: capped-count.ts). Keyset
 * paging: a deep page costs what the first one does.
 */
export async function listCases(
  db: Db,
  filter: CaseFilter,
  me: ListViewer,
  now = new Date(),
): Promise<{ rows: CaseListRow[]; total: number; capped: boolean; next: string | undefined }> {
  const where = caseConditions(filter, me, now);
  const order = ordering(filter.sort);
  const [value, id] = filter.na ? filter.na.split('~') : [];
  const after =
    value && id
      ? order.descending
        ? sql`(${order.column}, ${cases.id}) < (${value}::${sql.raw(order.cast)}, ${Number(id)})`
        : sql`(${order.column}, ${cases.id}) > (${value}::${sql.raw(order.cast)}, ${Number(id)})`
      : undefined;
  const [rows, total] = await Promise.all([
    selectRows(db, filter.sort, and(where, after), PAGE_SIZE + 1),
    cappedCount(db, where, COUNT_CAP, async () => {
      const [counted] = await db.select({ n: count() }).from(
        db
          .select({ one: sql`1` })
          .from(cases)
          .where(where)
          .limit(COUNT_CAP + 1)
          .as('capped'),
      );
      return counted?.n ?? 0;
    }),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ cursorValue: _cursor, ...row }) => row),
    total: Math.min(total, COUNT_CAP),
    capped: total > COUNT_CAP,
    next: rows.length > PAGE_SIZE && last ? `${cursorOf(last.cursorValue)}~${last.id}` : undefined,
  };
}

/** The first page of a view without its count (the pane beside a case shows no count): the rows, and whether there are more. */
export async function firstPage(db: Db, filter: CaseFilter, me: ListViewer, now = new Date()): Promise<{ rows: CaseListRow[]; more: boolean }> {
  const rows = await selectRows(db, filter.sort, caseConditions(filter, me, now), PAGE_SIZE + 1);
  return { rows: rows.slice(0, PAGE_SIZE).map(({ cursorValue: _cursor, ...row }) => row), more: rows.length > PAGE_SIZE };
}

/** The most cases a live list asks about at once (rows it shows that changed, or cases that may be new to it). */
export const LIVE_ROWS_MAX = 50;

/**
 * Of the cases `references`, those that are in the filter's view now, as list rows: what a live
 * list needs to update its changed rows and to count the cases new to it, without loading
 * the page again. A few index lookups by reference, whatever the size of the view.
 */
export async function listRows(db: Db, filter: CaseFilter, me: ListViewer, references: readonly string[], now = new Date()): Promise<CaseListRow[]> {
  if (references.length === 0) return [];
  const rows = await selectRows(db, filter.sort, and(caseConditions(filter, me, now), inArray(cases.reference, [...references])), LIVE_ROWS_MAX);
  return rows.map(({ cursorValue: _cursor, ...row }) => row);
}

/** The list's rows where `where` holds, in the sort's order, with their cursor values. */
async function selectRows(db: Db, sort: CaseSort, where: SQL | undefined, limit: number): Promise<(CaseListRow & { cursorValue: string })[]> {
  const order = ordering(sort);
  const rows = await db
    .select({
      id: cases.id,
      reference: cases.reference,
      subject: cases.subject,
      senderName: sql<string | undefined>`${cases.sender}->>'name'`,
      channel: cases.channel,
      topic: cases.topic,
      team: cases.team,
      answerBy: cases.answerBy,
      receivedAt: cases.openedAt,
      status: cases.status,
      attention: cases.attention,
      assignee: users.name,
      answeredLast: sql<boolean>`coalesce(${cases.lastAnswerAt} >= ${cases.lastInboundAt}, false)`,
      waiting: sql<boolean>`${cases.waitingSince} is not null`,
      answerDue: cases.answerDue,
      waitingSince: cases.waitingSince,
      closedAt: cases.closedAt,
      cursorValue: sql<string>`${order.column}::text`,
    })
    .from(cases)
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(where)
    .orderBy(...(order.descending ? [desc(order.column), desc(cases.id)] : [asc(order.column), asc(cases.id)]))
    .limit(limit);
  return rows.map(({ answeredLast, waiting, ...row }) => ({
    ...row,
    senderName: row.senderName ?? undefined,
    turn: row.status === 'closed' ? 'closed' : waiting ? 'waiting' : answeredLast ? 'answered' : 'us',
  }));
}

/** A sort value as the cursor carries it: a date as it is, a timestamp in ISO form (no spaces in a URL). */
function cursorOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(value).toISOString();
}

/** The teams of the topics, for the filter's choices. */
export async function knownTeams(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ team: topics.team }).from(topics).where(isNotNull(topics.team)).orderBy(asc(topics.team));
  return rows.flatMap((row) => (row.team ? [row.team] : []));
}

/** The list's viewer as the database knows them: their team and the view and sort they chose last. */
export async function listViewer(db: Db, id: number): Promise<ListViewer & { preference: { view?: CaseView; sort?: CaseSort } }> {
  const [row] = await db.select({ team: users.team, preference: users.listPreference }).from(users).where(eq(users.id, id));
  const saved = savedPreference.safeParse(row?.preference ?? {});
  return { id, team: row?.team ?? null, preference: saved.success ? saved.data : {} };
}

const savedPreference = z.object({ view: z.enum(CASE_VIEWS).optional().catch(undefined), sort: z.enum(CASE_SORTS).optional().catch(undefined) });

/** Keeps the view and sort a person chose, so the list opens on them next time (on any device). */
export async function saveListPreference(db: Db, id: number, preference: { view?: CaseView; sort: CaseSort }): Promise<void> {
  const value = { ...(preference.view ? { view: preference.view } : {}), ...(preference.sort !== 'due' ? { sort: preference.sort } : {}) };
  await db
    .update(users)
    .set({ listPreference: value })
    .where(and(eq(users.id, id), sql`${users.listPreference} is distinct from ${JSON.stringify(value)}::jsonb`));
}
