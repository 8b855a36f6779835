/**
 * npm run bench:search — the workspace's search and a person's history on a generated year
 * (bench/year.ts), against a plain primary-key lookup of a case in the same run on the same
 * PostgreSQL. Prints p50/p95 per kind of search and each p50 as a multiple of the lookup's.
 * Environment: BENCH_YEAR_CASES [336000], BENCH_YEAR_MESSAGES [350000], BENCH_RUNS [50].
 */
import { sql } from 'drizzle-orm';
import { runPrepared } from '../src/db/database.js';
import { casesOfPerson, searchCases } from '../src/workspace/search.js';
import { generateYear, quantiles, timeIt, YEAR_CASES } from './year.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 50);
const { bench, database, seconds } = await generateYear();
try {
  const db = database.db;
  const id = (i: number) => 1 + ((i * 7_919) % YEAR_CASES);
  const kinds: [string, (i: number) => Promise<unknown>][] = [
    ['baseline: case by primary key', (i) => runPrepared(db, sql`select * from cases where id = ${id(i)}`)],
    ['registration number', (i) => searchCases(db, `ZK-2025-${String(id(i)).padStart(6, '0')}`)],
    ['e-mail address', (i) => searchCases(db, `p${id(i) % 150_000}@rijk.example`)],
    ['employee number', (i) => searchCases(db, String(100_000 + (id(i) % 150_000)))],
    ['name, spelled differently', (i) => searchCases(db, ['Jansen', 'de Vries', 'Amrani', 'Hendrix', 'Yilmas'][i % 5]!)],
    ['words of a message', (i) => searchCases(db, ['thuiswerkvergoeding', 'declaraties reiskosten', 'eindejaarsuitkering', 'wachtwoord portaal'][i % 4]!)],
    // Words of no message or of few, alone or with a common one: through the index, not the newest messages.
    ['rare words of a message', (i) => searchCases(db, ['zonnepanelen', 'verlof kinderopvang', 'fietsplan'][i % 3]!)],
    ['person’s history', (i) => casesOfPerson(db, id(i), { email: `p${id(i) % 150_000}@rijk.example`, employeeNumber: String(100_000 + (id(i) % 150_000)) })],
  ];
  const results: [string, { p50: number; p95: number }][] = [];
  for (const [name, query] of kinds) results.push([name, quantiles(await timeIt(RUNS, query))]);
  const baseline = results[0]![1].p50;
  console.log(`bench:search — ${YEAR_CASES} cases, generated in ${seconds.toFixed(0)} s; ${RUNS} runs each`);
  console.log('kind'.padEnd(34), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p50 / baseline'.padStart(16));
  for (const [name, q] of results) {
    console.log(name.padEnd(34), q.p50.toFixed(2).padStart(8), q.p95.toFixed(2).padStart(8), (q.p50 / baseline).toFixed(1).padStart(16));
  }
} finally {
  await database.close();
  await bench.drop();
}
