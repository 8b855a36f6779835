import { sql } from 'drizzle-orm';
import { amsterdamDate } from '../calendar.js';
import { runPrepared, type Db } from '../db/database.js';
import { amsterdamInstant } from '../sla/working-time.js';
import { mondayOf } from './report.period.js';

/** Counts of today and of this week (Monday on), Amsterdam time. */
export interface TodayAndWeek {
  today: number;
  week: number;
}

/** What the workspace home shows at a glance; an agent's `cases` are their own. */
export interface Dashboard {
  /** Contacts per channel (a chat once per conversation); absent for an agent. */
  contacts?: Record<string, TodayAndWeek>;
  cases: { open: number; dueToday: number; overdue: number };
  /** Cases whose deadline came (closed, or due and still open): how many closed by it. */
  promise: { today: { due: number; onTime: number }; week: { due: number; onTime: number } };
  chats: { answered: TodayAndWeek; redirected: TodayAndWeek; waiting: number; longestWaitSeconds: number; mine: number };
}

/**
 * The dashboard's figures, live from the tables (today and this week are small ranges on
 * indexes: messages by receipt, cases by closing, open cases by answer date). For an agent
 * (`mine` set) the cases and the promise are theirs, and the center's contacts are left out.
 */
export async function dashboard(db: Db, now: Date, mine?: { id: number; chatName: string }): Promise<Dashboard> {
  const todayDate = amsterdamDate(now);
  const today = amsterdamInstant(todayDate, 0).toISOString();
  const week = amsterdamInstant(mondayOf(todayDate), 0).toISOString();
  const at = now.toISOString();
  const own = mine ? sql`and c."assignee_id" = ${mine.id}` : sql``;
  const [contacts, cases, promise, chats] = await Promise.all([
    mine
      ? Promise.resolve([])
      : runPrepared<{ channel: string; today: number; week: number }>(
          db,
          sql`select "channel",
                     (count(*) filter (where "channel" <> 'chat' and "received_at" >= ${today}::timestamptz)
                      + count(distinct "thread"->>'conversationId') filter (where "channel" = 'chat' and "received_at" >= ${today}::timestamptz))::int as today,
                     (count(*) filter (where "channel" <> 'chat')
                      + count(distinct "thread"->>'conversationId') filter (where "channel" = 'chat'))::int as week
                from "messages" where "received_at" >= ${week}::timestamptz and "received_at" <= ${at}::timestamptz group by 1`,
        ),
    runPrepared<{ open: number; due_today: number; overdue: number }>(
      db,
      sql`select count(*)::int as open,
                 count(*) filter (where c."answer_by" = ${todayDate}::date)::int as due_today,
                 count(*) filter (where c."answer_by" < ${todayDate}::date)::int as overdue
            from "cases" c where c."status" = 'open' ${own}`,
    ),
    // Closed this week (by closing, on its index) and open past their deadline this week (among the open ones), apart:
    // one condition with an "or" would read every case.
    runPrepared<{ due_today: number; on_time_today: number; due_week: number; on_time_week: number }>(
      db,
      sql`select count(*) filter (where "at" >= ${today}::timestamptz)::int as due_today,
                 count(*) filter (where "at" >= ${today}::timestamptz and "on_time")::int as on_time_today,
                 count(*)::int as due_week,
                 count(*) filter (where "on_time")::int as on_time_week
            from (select c."closed_at" as "at", c."closed_at" <= c."answer_due" as "on_time", c."id" from "cases" c
                   where c."closed_at" >= ${week}::timestamptz and c."closed_at" <= ${at}::timestamptz and c."status" = 'closed' and c."answer_due" is not null ${own}
                  union all
                  select c."answer_due", false, c."id" from "cases" c
                   where c."status" = 'open' and c."answer_by" between ${mondayOf(todayDate)}::date and ${todayDate}::date
                     and c."answer_due" >= ${week}::timestamptz and c."answer_due" <= ${at}::timestamptz ${own}) d
           where not exists (select 1 from "conversations" v where v."case_id" = d."id" and v."closed_reason" = 'redirected')`,
    ),
    runPrepared<{
      answered_today: number;
      answered_week: number;
      redirected_today: number;
      redirected_week: number;
      waiting: number;
      longest: number | null;
      mine: number;
    }>(
      db,
      sql`select count(*) filter (where "agent" is not null and "created_at" >= ${today}::timestamptz)::int as answered_today,
                 count(*) filter (where "agent" is not null and "created_at" >= ${week}::timestamptz)::int as answered_week,
                 count(*) filter (where "closed_reason" = 'redirected' and "created_at" >= ${today}::timestamptz)::int as redirected_today,
                 count(*) filter (where "closed_reason" = 'redirected' and "created_at" >= ${week}::timestamptz)::int as redirected_week,
                 count(*) filter (where "state" = 'waiting')::int as waiting,
                 extract(epoch from (${at}::timestamptz - min("waiting_since") filter (where "state" = 'waiting')))::int as longest,
                 count(*) filter (where "state" = 'with-agent' and "agent" = ${mine?.chatName ?? ''})::int as mine
            from "conversations" where "created_at" >= ${week}::timestamptz or "state" <> 'closed'`,
    ),
  ]);
  const p = promise[0];
  const c = chats[0];
  return {
    contacts: mine ? undefined : Object.fromEntries(contacts.map((row) => [row.channel, { today: row.today, week: row.week }])),
    cases: { open: cases[0]?.open ?? 0, dueToday: cases[0]?.due_today ?? 0, overdue: cases[0]?.overdue ?? 0 },
    promise: { today: { due: p?.due_today ?? 0, onTime: p?.on_time_today ?? 0 }, week: { due: p?.due_week ?? 0, onTime: p?.on_time_week ?? 0 } },
    chats: {
      answered: { today: c?.answered_today ?? 0, week: c?.answered_week ?? 0 },
      redirected: { today: c?.redirected_today ?? 0, week: c?.redirected_week ?? 0 },
      waiting: c?.waiting ?? 0,
      longestWaitSeconds: Math.max(0, c?.longest ?? 0),
      mine: c?.mine ?? 0,
    },
  };
}
