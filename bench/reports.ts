/**
 * npm run bench:reports — every report over a generated year of traffic (bench/year.ts:
 * ~336,000 cases, ~350,000 messages, plus here their answers, chats, corrections and
 * complaints), against a plain `count(*)` over the same year's messages in the same run on the
 * same PostgreSQL. Goal (issue 15): any report under a second. Prints p50/p95 per report, each
 * p50 as a multiple of the count's, and how long the views' refresh (in the background) takes.
 * Environment: BENCH_YEAR_CASES, BENCH_YEAR_MESSAGES, BENCH_RUNS [20], BENCH_KEEP=1 (keep the database).
 */
import { sql } from 'drizzle-orm';
import { runPrepared } from '../src/db/database.js';
import { complaintReport } from '../src/reports/complaint-report.js';
import { dashboard } from '../src/reports/dashboard.js';
import { reportFigures } from '../src/reports/report.figures.js';
import { periodAround, quarterPeriod, type Period } from '../src/reports/report.period.js';
import { refreshReports } from '../src/reports/report.refresh.js';
import { generateYear, quantiles, timeIt } from './year.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
/** The year's last day: every case's promise has come. */
const NOW = new Date('2025-12-31T15:00:00Z');
const YEAR: Period = { kind: 'eigen', from: '2025-01-01', to: '2025-12-31' };

const { bench, database, seconds } = await generateYear();
try {
  const db = database.db;
  const started = Date.now();
  // What the year's cases got: deadlines and closing, an acknowledgement and an agent's answer, chats
  // (a quarter of them sent on), corrections of 3 in 100, a complaint for 1 in 10 complaint cases.
  await bench.query(`update cases set answer_due = answer_by + time '21:00', first_response_due = created_at + interval '14 hours',
                            closed_at = case when status = 'closed' then created_at + ((id % 9) * interval '1 day') + ((id % 600) * interval '1 minute') end`);
  await bench.query('alter table outbox disable trigger user');
  await bench.query(`insert into outbox (case_id, channel, kind, recipient, subject, body, status, created_at)
                     select id, channel, 'acknowledgement', '{}', 'Ontvangen', 'Tekst', 'sent', created_at + interval '5 seconds' from cases`);
  await bench.query(`insert into outbox (case_id, channel, kind, recipient, subject, body, status, created_at)
                     select id, channel, case when channel = 'chat' then 'chat-answer' else 'answer' end, '{}', 'Antwoord', 'Tekst', 'sent',
                            created_at + ((id % 4000) * interval '1 minute') from cases where status = 'closed' and id % 4 <> 0`);
  await bench.query('alter table outbox enable trigger user');
  await bench.query(`insert into conversations (id, token_hash, state, closed_reason, topic, visitor, case_id, created_at, closed_at)
                     select 'bench-' || id, md5('c' || id), 'closed', case when id % 4 = 0 then 'redirected' else 'closed' end, topic, '{}', id, created_at, closed_at
                       from cases where channel = 'chat'`);
  await bench.query(`insert into topic_corrections (case_id, subject, text, locale, from_topic, to_topic, created_at)
                     select id, '', '', 'nl', 'overig', topic, created_at + interval '1 hour' from cases where id % 33 = 0`);
  await bench.query(`insert into complaints (case_id, stage, first_contact_due, first_contact_at, resolve_due, resolved_at, satisfied, created_at)
                     select id, (array['closed','resolved','escalated','handler'])[1 + id % 4], created_at + interval '2 days',
                            created_at + ((id % 4) * interval '1 day'), created_at + interval '14 days',
                            case when id % 4 <> 3 then created_at + ((id % 20) * interval '1 day') end, case when id % 4 = 0 then id % 8 = 0 end, created_at
                       from cases where topic = 'klacht' and id % 10 = 0`);
  // As autovacuum keeps a table in use: visibility map set, so counts over an index need not visit the heap.
  await bench.query('vacuum analyze');
  const extras = (Date.now() - started) / 1_000;
  const refreshStarted = performance.now();
  await refreshReports(db);
  const refreshMs = performance.now() - refreshStarted;
  await bench.query('vacuum analyze report_cases, report_days, report_contacts');
  const [counts] = await bench.query<{ contacts: string; cases: string; outbox: string; complaints: string }>(
    `select (select sum(contacts) from report_contacts) as contacts, (select count(*) from report_cases) as cases,
            (select count(*) from outbox) as outbox, (select count(*) from complaints) as complaints`,
  );

  const kinds: [string, () => Promise<unknown>][] = [
    [
      'baseline: count(*) of the year’s messages',
      () => runPrepared(db, sql`select count(*) from messages where received_at >= '2025-01-01' and received_at < '2026-01-01'`),
    ],
    ['report: the whole year (weeks)', () => reportFigures(db, YEAR, {}, NOW)],
    ['report: the year, one team', () => reportFigures(db, YEAR, { team: 'Team 3' }, NOW)],
    ['report: the year, one topic and channel', () => reportFigures(db, YEAR, { topic: 'salaris', channel: 'email' }, NOW)],
    ['report: a quarter (weeks)', () => reportFigures(db, quarterPeriod('2025-Q3'), {}, NOW)],
    ['report: a month (days)', () => reportFigures(db, periodAround('maand', '2025-10-15'), {}, NOW)],
    ['report: a week', () => reportFigures(db, periodAround('week', '2025-10-15'), {}, NOW)],
    ['complaint report: a quarter', () => complaintReport(db, quarterPeriod('2025-Q3'), NOW)],
    ['complaint report: Q4 (year end)', () => complaintReport(db, quarterPeriod('2025-Q4'), NOW)],
    ['dashboard: coordinator', () => dashboard(db, new Date('2025-10-15T12:00:00Z'))],
    ['dashboard: agent', () => dashboard(db, new Date('2025-10-15T12:00:00Z'), { id: 1, chatName: 'Bench (#1)' })],
  ];
  const results: [string, { p50: number; p95: number }][] = [];
  for (const [name, query] of kinds) results.push([name, quantiles(await timeIt(RUNS, query))]);
  const baseline = results[0]![1].p50;
  console.log(
    `bench:reports — ${counts?.cases} cases, ${counts?.contacts} contacts, ${counts?.outbox} answers, ${counts?.complaints} complaints; ` +
      `year generated in ${seconds.toFixed(0)} s + ${extras.toFixed(0)} s; ${RUNS} runs each`,
  );
  console.log(`refresh of the report views (in the background, every REPORTS_REFRESH_SECONDS): ${(refreshMs / 1_000).toFixed(1)} s`);
  console.log('report'.padEnd(42), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p50 / baseline'.padStart(16), 'goal < 1 s'.padStart(12));
  for (const [name, q] of results) {
    console.log(
      name.padEnd(42),
      q.p50.toFixed(1).padStart(8),
      q.p95.toFixed(1).padStart(8),
      (q.p50 / baseline).toFixed(1).padStart(16),
      (q.p95 < 1_000 ? 'yes' : 'NO').padStart(12),
    );
  }
} finally {
  await database.close();
  // BENCH_KEEP=1 keeps the generated year to look at its plans (drop it yourself afterwards).
  if (process.env['BENCH_KEEP'] === '1') console.log(`kept: ${bench.url}`);
  else await bench.drop();
}
