import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from './database.js';
import { backendCpuMs } from './backend-cpu.js';
import { startChild, type BenchChild } from './child.js';
import type { Cleanup } from './cleanup.js';
import { dropQueueKeys } from './redis-cleanup.js';
import { toFinishedMap, type SystemUnderTest } from './system.js';
import { loketChildEnv } from './harness.js';
import { jsonPoster } from './http-client.js';

/** Realistic form questions, so classification does its real work. */
const QUESTIONS = [
  { subject: 'Mijn salarisstrook', message: 'Op mijn salarisstrook van oktober staat een verkeerd bedrag.' },
  { subject: 'Verlofaanvraag', message: 'Mijn verlofaanvraag voor ouderschapsverlof is nog niet verwerkt.' },
  { subject: 'Inloggen lukt niet', message: 'Ik kan niet inloggen, mijn account is geblokkeerd na een verkeerd wachtwoord.' },
  { subject: 'Declaratie reiskosten', message: 'Mijn declaratie voor reiskosten van de dienstreis is afgewezen zonder reden.' },
  { subject: 'Klacht over de afhandeling', message: 'Ik ben ontevreden over hoe mijn vraag is behandeld, dit is onacceptabel.' },
];

/**
 * Loket in a child process (ROLE=all) on a fresh database of its own and a queue
 * prefix of its own; messages enter through the real HTTP API.
 */
export async function startLoketSystem(cleanup: Cleanup, redisUrl: string): Promise<SystemUnderTest> {
  const database = await createBenchDatabase();
  cleanup.add('drop Loket database', () => database.drop());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-'));
  cleanup.add('remove Loket data dir', () => rm(dataDir, { recursive: true, force: true }));
  const prefix = `{loket-bench-${randomBytes(4).toString('hex')}}`;
  cleanup.add('remove Loket queues', () => dropQueueKeys(redisUrl, prefix, ['route', 'deliver']));

  const env = {
    ...loketChildEnv({ databaseUrl: database.url, dataDir, redisUrl, prefix }),
    // The bench is one client address sending thousands of forms; the limit is not what is measured.
    WEBFORM_RATE_LIMIT_MAX: '100000000',
  };
  // BENCH_LOKET_TOPOLOGY=web+worker: the production layout (docker-compose.yml), one web and one worker process.
  const split = process.env['BENCH_LOKET_TOPOLOGY'] === 'web+worker';
  const web = await startChild('loket.child', split ? { ...env, ROLE: 'web' } : env);
  cleanup.add('stop Loket', () => web.stop());
  const worker = split ? await startChild('loket.child', { ...env, ROLE: 'worker' }) : undefined;
  if (worker) cleanup.add('stop Loket worker', () => worker.stop());
  const child = worker ? together(web, worker) : web;

  const post = jsonPoster(`${child.url}/api/v1/webform`, 1_024);
  let sequence = 0;
  const send = async () => {
    const n = sequence++;
    const question = QUESTIONS[n % QUESTIONS.length]!;
    const { status, body } = await post({ name: `Bench Sender ${n}`, email: `bench.${n}@example.org`, ...question });
    const reference = (body as { reference?: unknown }).reference;
    if (status !== 202 || typeof reference !== 'string') throw new Error(`POST answered ${status}: ${JSON.stringify(body)}`);
    return reference;
  };

  return {
    name: split ? 'Loket web+worker' : 'Loket',
    child,
    send,
    databaseCpuMs: () => backendCpuMs(database),
    finishedCount: async () => {
      const [row] = await database.query<{ n: number }>(`select count(*)::int as n from outbox where kind = 'acknowledgement' and status = 'sent'`);
      return row?.n ?? 0;
    },
    // 202 reference = case reference; the acknowledgement is the case's outbox row.
    finishedAt: async (keys) =>
      toFinishedMap(
        await database.query(
          `select c.reference as key, extract(epoch from o.sent_at) * 1000 as at_ms
             from outbox o join cases c on c.id = o.case_id
            where o.kind = 'acknowledgement' and o.status = 'sent' and c.reference = any($1)`,
          [keys],
        ),
      ),
  };
}

/** Two processes measured as one: CPU, memory, queries and commands added up. */
function together(web: BenchChild, worker: BenchChild): BenchChild {
  return {
    pid: web.pid,
    url: web.url,
    stats: async () => {
      const [a, b] = await Promise.all([web.stats(), worker.stats()]);
      return {
        rss: a.rss + b.rss,
        peakRss: a.peakRss + b.peakRss,
        cpuMs: a.cpuMs + b.cpuMs,
        pgQueries: a.pgQueries + b.pgQueries,
        redisCommands: a.redisCommands + b.redisCommands,
      };
    },
    stop: async (timeoutMs) => {
      await Promise.all([web.stop(timeoutMs), worker.stop(timeoutMs)]);
    },
  };
}
