import { sql, type SQL } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import { buckets, type Period, type ReportFilter } from './report.period.js';

/** Contacts of one bucket (a day or a week's Monday) for one channel or one topic. */
export interface VolumeRow {
  bucket: string;
  channel: string | null;
  topic: string | null;
  contacts: number;
}

/** Cases of one group whose promise has come (closed, or due by now), and how many closed in time. */
export interface PromiseRow {
  channel: string;
  due: number;
  onTime: number;
}

/** Per topic: cases, chats among them and chats sent on to the form, mail and phone; answers by kind; topic corrections. */
export interface TopicRow {
  topic: string;
  cases: number;
  chats: number;
  redirected: number;
  agentAnswers: number;
  automaticAnswers: number;
  corrected: number;
}

/** Median and 90th percentile in minutes, over `count` cases. */
export interface Duration {
  count: number;
  median: number | null;
  p90: number | null;
}

/** A topic corrected from one to another, and how often. */
export interface CorrectionRow {
  from: string;
  to: string;
  count: number;
}

/** Everything the report page, its charts and its CSV show for one period and filter. */
export interface ReportFigures {
  period: Period;
  filter: ReportFilter;
  unit: 'day' | 'week';
  buckets: string[];
  volumes: VolumeRow[];
  promise: PromiseRow[];
  topics: TopicRow[];
  firstResponse: Duration;
  answered: Duration;
  corrections: CorrectionRow[];
  /** When the figures were counted (the views' last refresh); null before the first. */
  refreshedAt: Date | null;
}

/** The conditions of a filter on a view that has channel, topic and team columns. */
function filtered(filter: ReportFilter, alias = ''): SQL[] {
  const column = (name: string) => sql.raw(`${alias}"${name}"`);
  const parts: SQL[] = [];
  if (filter.channel) parts.push(sql`${column('channel')} = ${filter.channel}`);
  if (filter.topic) parts.push(sql`${column('topic')} = ${filter.topic}`);
  if (filter.team) parts.push(sql`${column('team')} = ${filter.team}`);
  return parts;
}

const all = (parts: SQL[]) => sql.join(parts, sql` and `);

/**
 * The report over `period`: contacts per bucket by channel and by topic; the promise kept per
 * channel (a case counts once its deadline came or it closed, on time when it closed by its
 * deadline); per topic the chat share, redirects, answers by kind and corrections; the median
 * and p90 of the time to the first agent answer and to closing (calendar time; chats sent on
 * are not counted as answered). All counted by PostgreSQL on the report views (drizzle/0029).
 */
export async function reportFigures(db: Db, period: Period, filter: ReportFilter, now: Date): Promise<ReportFigures> {
  const { unit, starts } = buckets(period);
  const inPeriod = (column: string) => sql`${sql.raw(`"${column}"`)} between ${period.from}::date and ${period.to}::date`;
  const bucket = unit === 'week' ? sql`date_trunc('week', "day")::date` : sql`"day"`;
  const cases = all([inPeriod('opened_on'), ...filtered(filter)]);
  const at = now.toISOString();
  const [volumes, closedPromise, openPromise, topics, times, corrections, refreshed] = await Promise.all([
    runPrepared<{ bucket: string; channel: string | null; topic: string | null; contacts: number }>(
      db,
      sql`select to_char("bucket", 'YYYY-MM-DD') as bucket, "channel", "topic", sum("contacts")::int as contacts
            from (select ${bucket} as "bucket", "channel", "topic", "contacts" from "report_contacts" where ${all([inPeriod('day'), ...filtered(filter)])}) t
           group by grouping sets (("bucket", "channel"), ("bucket", "topic")) order by 1, 2, 3`,
    ),
    // Closed cases kept or missed their promise once and for all: added up per day.
    runPrepared<{ channel: string; due: number; on_time: number }>(
      db,
      sql`select "channel", sum("closed_due")::int as due, sum("closed_on_time")::int as on_time
            from "report_days" where ${cases} group by 1`,
    ),
    // An open case counts (as late) once its deadline has passed: asked at the moment of the report.
    runPrepared<{ channel: string; due: number }>(
      db,
      sql`select "channel", count(*) filter (where "answer_due" <= ${at}::timestamptz and not "redirected")::int as due
            from "report_cases" where "open" and ${cases} group by 1`,
    ),
    runPrepared<{ topic: string; cases: number; chats: number; redirected: number; agent: number; automatic: number; corrected: number }>(
      db,
      sql`select "topic", sum("cases")::int as cases, sum("chats")::int as chats, sum("redirected")::int as redirected,
                 sum("agent_answers")::int as agent, sum("automatic_answers")::int as automatic, sum("corrected")::int as corrected
            from "report_days" where ${cases}
           group by 1 order by 2 desc, 1`,
    ),
    runPrepared<{
      first_count: number;
      first_median: number | null;
      first_p90: number | null;
      closed_count: number;
      closed_median: number | null;
      closed_p90: number | null;
    }>(
      db,
      sql`select count("first_minutes")::int as first_count,
                 percentile_cont(0.5) within group (order by "first_minutes") as first_median,
                 percentile_cont(0.9) within group (order by "first_minutes") as first_p90,
                 count("close_minutes")::int as closed_count,
                 percentile_cont(0.5) within group (order by "close_minutes") as closed_median,
                 percentile_cont(0.9) within group (order by "close_minutes") as closed_p90
            from "report_cases" where ${cases}`,
    ),
    runPrepared<{ from: string; to: string; count: number }>(
      db,
      sql`select coalesce(k."from_topic", '') as "from", k."to_topic" as "to", count(*)::int as count
            from "topic_corrections" k join "report_cases" r on r."id" = k."case_id"
           where k."undone_at" is null and ${all([sql`r."opened_on" between ${period.from}::date and ${period.to}::date`, ...filtered(filter, 'r.')])}
           group by 1, 2 order by 3 desc, 1, 2 limit 20`,
    ),
    lastRefresh(db),
  ]);
  const channelsSeen = [...new Set([...closedPromise.map((row) => row.channel), ...openPromise.map((row) => row.channel)])].sort();
  const promise = channelsSeen.map((channel) => {
    const closed = closedPromise.find((row) => row.channel === channel);
    const open = openPromise.find((row) => row.channel === channel);
    return { channel, due: (closed?.due ?? 0) + (open?.due ?? 0), on_time: closed?.on_time ?? 0 };
  });
  const [time] = times;
  const duration = (count: number | undefined, median: number | null | undefined, p90: number | null | undefined): Duration => ({
    count: count ?? 0,
    median: median === null || median === undefined ? null : Number(median),
    p90: p90 === null || p90 === undefined ? null : Number(p90),
  });
  return {
    period,
    filter,
    unit,
    buckets: starts,
    volumes: volumes.map((row) => ({ ...row, contacts: Number(row.contacts) })),
    promise: promise.map((row) => ({ channel: row.channel, due: row.due, onTime: row.on_time })),
    topics: topics.map((row) => ({
      topic: row.topic,
      cases: row.cases,
      chats: row.chats,
      redirected: row.redirected,
      agentAnswers: Number(row.agent ?? 0),
      automaticAnswers: Number(row.automatic ?? 0),
      corrected: row.corrected,
    })),
    firstResponse: duration(time?.first_count, time?.first_median, time?.first_p90),
    answered: duration(time?.closed_count, time?.closed_median, time?.closed_p90),
    corrections,
    refreshedAt: refreshed,
  };
}

/** When the report views were last refreshed. */
export async function lastRefresh(db: Db): Promise<Date | null> {
  const [row] = await runPrepared<{ at: Date | string | null }>(db, sql`select min("refreshed_at") as at from "report_refreshes"`);
  return row?.at ? new Date(row.at) : null;
}
