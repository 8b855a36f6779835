/**
 * A year of a contact center's traffic in a fresh database, written by PostgreSQL itself
 * (generate_series): ~336,000 cases and ~350,000 messages, names, addresses and employee
 * numbers of ~150,000 civil servants, Dutch text from a small vocabulary, a twentieth open.
 * Shared by bench:search and bench:workspace.
 */
import { openDatabase, type Database } from '../src/db/database.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';

export const YEAR_CASES = Number(process.env['BENCH_YEAR_CASES'] ?? 336_000);
export const YEAR_MESSAGES = Number(process.env['BENCH_YEAR_MESSAGES'] ?? 350_000);

const FIRST = ['Jan', 'Fatima', 'Sanne', 'Mohamed', 'Pieter', 'Anouk', 'Daan', 'Noor', 'Bram', 'Eva', 'Joost', 'Lotte', 'Kees', 'Ilse', 'Yusuf', 'Marieke'];
const LAST = [
  'de Vries',
  'Jansen',
  'Janssen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'El Amrani',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'Dekker',
  'Yilmaz',
];
const WORDS = [
  'verlof',
  'verlofdagen',
  'salaris',
  'loonstrook',
  'declaratie',
  'declaraties',
  'reiskosten',
  'thuiswerkvergoeding',
  'inloggen',
  'wachtwoord',
  'portaal',
  'beoordelingsgesprek',
  'functioneringsgesprek',
  'eindejaarsuitkering',
  'vakantiegeld',
  'ziekmelding',
  'pensioen',
  'overwerk',
  'mijn',
  'niet',
  'wanneer',
  'hoeveel',
  'graag',
  'vraag',
  'betaald',
  'uitbetaald',
  'aanvraag',
  'goedgekeurd',
  'formulier',
  'leidinggevende',
];

const list = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/** A new database with a year in it (migrated, analysed); close and drop it with the returned handles. */
export async function generateYear(): Promise<{ bench: BenchDatabase; database: Database; seconds: number }> {
  const started = Date.now();
  const bench = await createBenchDatabase();
  const database = await openDatabase({ databaseUrl: bench.url, dataDir: '.', poolSize: 10 });
  const words = (n: number, seed: string) =>
    `(select string_agg((${list(WORDS)})[1 + ((hashtext(${seed} || ':' || i) & 2147483647) % ${WORDS.length})], ' ') from generate_series(1, ${n}) i)`;
  await bench.query(`
    insert into cases (reference, channel, topic, team, subject, sender, status_token, answer_by, created_at, updated_at, status, last_inbound_at)
    select 'ZK-2025-' || lpad(g::text, 6, '0'),
           (array['email','webform','phone','chat','post'])[1 + g % 5],
           (array['verlof','salaris','declaraties','inloggen','personeelsgesprekken','wet-en-regelgeving','klacht','portaalgebruik'])[1 + g % 8],
           'Team ' || (g % 9),
           ${words(4, "'s' || g")},
           jsonb_build_object('name', (${list(FIRST)})[1 + g % ${FIRST.length}] || ' ' || (${list(LAST)})[1 + (g / 7) % ${LAST.length}],
                              'email', 'p' || (g % 150000) || '@rijk.example', 'employeeNumber', (100000 + g % 150000)::text),
           md5(g::text), date '2025-01-01' + (g % 365), timestamptz '2025-01-01' + g * interval '93 seconds', timestamptz '2025-01-01' + g * interval '93 seconds',
           case when g % 20 = 0 then 'open' else 'closed' end,
           -- the received_at of its newest message below (message g' goes to case 1 + (g' - 1) % cases)
           case when g <= ${YEAR_MESSAGES} then timestamptz '2025-01-01' + g * interval '93 seconds'
                + ((g + ((${YEAR_MESSAGES} - g) / ${YEAR_CASES}) * ${YEAR_CASES}) / ${YEAR_CASES}) * interval '1 day' end
      from generate_series(1, ${YEAR_CASES}) g`);
  // The triggers that keep cases.last_inbound_at would look up a case per message: filled above instead.
  await bench.query('alter table messages disable trigger user');
  await bench.query(`
    insert into messages (channel, external_id, received_at, sender, subject, text, thread, meta, case_id, routed_at)
    select c.channel, 'bench-' || g, c.created_at + (g / ${YEAR_CASES}) * interval '1 day', c.sender, c.subject,
           ${words(25, "'m' || g")}, '{"references": []}'::jsonb, '{}'::jsonb, c.id, c.created_at
      from generate_series(1, ${YEAR_MESSAGES}) g
      join cases c on c.id = 1 + (g - 1) % ${YEAR_CASES}`);
  await bench.query('alter table messages enable trigger user');
  // Statistics first: without them the check below may plan a scan of all messages per case.
  await bench.query('analyze');
  const [wrong] = await bench.query<{ n: string }>(
    `select count(*) as n from cases c where last_inbound_at is distinct from (select max(received_at) from messages m where m.case_id = c.id)`,
  );
  if (Number(wrong?.n) !== 0) throw new Error(`the generator's last_inbound_at is wrong on ${wrong?.n} cases`);
  await bench.query('analyze');
  return { bench, database, seconds: (Date.now() - started) / 1_000 };
}

/** p50 and p95 of durations in ms. */
export function quantiles(durations: number[]): { p50: number; p95: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Runs `query` `times` times (after two unmeasured runs) and returns the durations in ms. */
export async function timeIt(times: number, query: (i: number) => Promise<unknown>): Promise<number[]> {
  await query(0);
  await query(1);
  const durations: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await query(i + 2);
    durations.push(performance.now() - start);
  }
  return durations;
}
