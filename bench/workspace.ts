/**
 * npm run bench:workspace — every view, sort and a deep page of the case list on a generated
 * year (bench/year.ts), one agent and eight at once, against a plain primary-key lookup of a
 * case in the same run on the same PostgreSQL. Goal (issue 19): under 50 ms for one agent,
 * under 100 ms p95 for eight. Environment: BENCH_YEAR_CASES, BENCH_YEAR_MESSAGES, BENCH_RUNS [40].
 */
import { sql } from 'drizzle-orm';
import { runPrepared } from '../src/db/database.js';
import { caseFilterSchema, listCases } from '../src/workspace/case-list.query.js';
import { generateYear, quantiles, timeIt, YEAR_CASES } from './year.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 40);
/** A day in the generated year, so "due today" and "overdue" have cases. */
const NOW = new Date('2025-07-01T09:00:00Z');
/** The agent who looks: in a team of the generated year. */
const VIEWER = { id: 1, team: 'Team 3' };
const { bench, database, seconds } = await generateYear();
try {
  const db = database.db;
  await runPrepared(db, sql`update cases set assignee_id = null`);
  const list = (query: Record<string, string>) => () => listCases(db, caseFilterSchema.parse(query), VIEWER, NOW);
  // A cursor 60 pages deep into all cases, newest first.
  let cursor: string | undefined;
  for (let page = 0; page < 60; page += 1)
    cursor = (await listCases(db, caseFilterSchema.parse({ view: 'all', sort: 'newest', ...(cursor ? { na: cursor } : {}) }), VIEWER, NOW)).next;
  const kinds: [string, (i: number) => Promise<unknown>][] = [
    ['baseline: case by primary key', (i) => runPrepared(db, sql`select * from cases where id = ${1 + ((i * 7_919) % YEAR_CASES)}`)],
    ['open, by answer date', list({})],
    ['unassigned', list({ view: 'unassigned' })],
    ['my team', list({ view: 'team' })],
    ['waiting for the citizen', list({ view: 'waiting' })],
    ['due today', list({ view: 'due-today' })],
    ['overdue', list({ view: 'overdue' })],
    ['closed, newest first', list({ view: 'closed', sort: 'newest' })],
    ['all, oldest first', list({ view: 'all', sort: 'oldest' })],
    ['one team, all', list({ view: 'all', team: 'Team 3' })],
    ['one channel, closed', list({ view: 'closed', channel: 'chat' })],
    ['page 61 of all, newest first', list({ view: 'all', sort: 'newest', ...(cursor ? { na: cursor } : {}) })],
  ];
  const alone: [string, { p50: number; p95: number }][] = [];
  for (const [name, query] of kinds) alone.push([name, quantiles(await timeIt(RUNS, query))]);
  const together: [string, { p50: number; p95: number }][] = [];
  for (const [name, query] of kinds) {
    const all = await Promise.all(Array.from({ length: 8 }, () => timeIt(Math.ceil(RUNS / 2), query)));
    together.push([name, quantiles(all.flat())]);
  }
  const baseline = alone[0]![1].p50;
  console.log(`bench:workspace — ${YEAR_CASES} cases, generated in ${seconds.toFixed(0)} s; ${RUNS} runs alone, 8 agents × ${Math.ceil(RUNS / 2)} together`);
  console.log('view'.padEnd(32), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), '×baseline'.padStart(10), '8: p50'.padStart(8), '8: p95'.padStart(8));
  alone.forEach(([name, q], i) => {
    const eight = together[i]![1];
    console.log(
      name.padEnd(32),
      q.p50.toFixed(2).padStart(8),
      q.p95.toFixed(2).padStart(8),
      (q.p50 / baseline).toFixed(1).padStart(10),
      eight.p50.toFixed(2).padStart(8),
      eight.p95.toFixed(2).padStart(8),
    );
  });
} finally {
  await database.close();
  await bench.drop();
}
