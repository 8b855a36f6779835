/**
 * A new database on a Redis that served another one (a restore, a reinstall, a deleted
 * embedded database): its messages are routed at once, and no job left in Redis holds one back.
 * Real: PostgreSQL (databases of their own), Redis (one queue prefix shared by both Lokets),
 * BullMQ (Loket's workers, and one of the test's own that fails a job on purpose).
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL, uniquePrefix } from './support/prefixes.js';
import { waitFor } from './support/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function loketOn(env: Record<string, string>, database?: TestDatabase): Promise<TestLoket> {
  const loket = await startTestLoket(env, database ? { database } : {});
  cleanups.push(() => loket.stop());
  return loket;
}

const form = (message: string) => ({ name: 'Sanne', email: 'sanne@example.org', subject: 'Verlof', message });

const routedWithin = (loket: TestLoket, reference: string, ms: number) =>
  waitFor(
    async () => {
      const rows = await loket.db!.query(`select m.id from messages m join cases c on c.id = m.case_id where c.reference = $1 and m.routed_at is not null`, [
        reference,
      ]);
      return rows.length > 0 || undefined;
    },
    `${reference} to be routed`,
    ms,
  );

it('a second database on the same Redis has its first messages routed at once, not after a sweep', async () => {
  // The sweep would route it too, but only after ten minutes: what routes it here is its own job.
  const env = { QUEUE_PREFIX: uniquePrefix(), SWEEP_SECONDS: '600' };
  const first = await loketOn(env);
  await routedWithin(first, await postWebform(first.url, form('Eerste installatie.')), 15_000);
  await first.stop();

  const second = await loketOn(env);
  const reference = await postWebform(second.url, form('Na een herinstallatie.'));
  await routedWithin(second, reference, 15_000);
});

it('the sweep replaces a failed job that holds an unrouted message back', async () => {
  const prefix = uniquePrefix();
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  // Web only: the message is stored and its route job added, but nobody works it yet.
  const web = await loketOn({ ROLE: 'web', QUEUE_PREFIX: prefix }, database);
  const reference = await postWebform(web.url, form('Mijn vraag blijft liggen.'));
  const [stored] = await database.query<{ id: string }>(`select id from messages where reference = $1`, [reference]);
  const jobId = web.queues.jobIdOf('route', { messageId: Number(stored!.id) });

  // A job that failed for good (as one of another installation with this id would have).
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const failing = new Worker(
    'route',
    async () => {
      throw new UnrecoverableError('failed on purpose');
    },
    { connection, prefix },
  );
  await waitFor(async () => (await web.queues.queue('route').getJobState(jobId)) === 'failed' || undefined, 'the job to fail', 15_000);
  await failing.close();
  connection.disconnect();

  await loketOn({ ROLE: 'worker', QUEUE_PREFIX: prefix, SWEEP_SECONDS: '1', SWEEP_FAILED_RETRY_MINUTES: '0' }, database);
  await waitFor(
    async () => {
      const rows = await database.query(`select id from messages where reference = $1 and routed_at is not null`, [reference]);
      return rows.length > 0 || undefined;
    },
    'the message to be routed after the sweep replaced the failed job',
    20_000,
  );
});
