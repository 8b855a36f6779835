/**
 * The sweep leaves a route job that failed for good as it is, and says nothing of it at every
 * round (the failure was logged once, and the queue metrics count it); a job Redis lost is
 * scheduled again. Real: Redis (BullMQ), PostgreSQL, the form over HTTP; the route worker is a
 * BullMQ worker of this test that always fails, as a bug or data no code expects would.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTE_QUEUE } from '../queues/route.queue.js';
import { sweep, type SweepTargets } from '../src/sweep.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL } from './support/prefixes.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;
let targets: SweepTargets;
const settings = { olderThanSeconds: 0, leaseSeconds: 60, batch: 100 };

beforeAll(async () => {
  // No workers of Loket's own: what happens to the route jobs is this test's doing.
  loket = await startTestLoket({ ROLE: 'web', JOB_ATTEMPTS: '2', WEBFORM_RATE_LIMIT_MAX: '1000' });
  targets = {
    scheduleRoute: (messageId) => loket.queues.reschedule('route', { messageId }),
    scheduleDelivery: (outboxId) => loket.queues.reschedule('deliver', { outboxId }),
  };
});

afterAll(async () => {
  await loket?.stop();
});

async function storedMessage(subject: string): Promise<number> {
  const reference = await postWebform(loket.url, { name: 'Jan', email: 'jan@example.org', subject, message: 'Mijn pas doet het niet.' });
  const rows = await loket.db!.query<{ id: number }>(`select id from messages where reference = $1`, [reference]);
  return rows[0]!.id;
}

/** Runs a worker that fails every route job until `until` holds; then stops it. */
async function failRouteJobs(until: () => Promise<boolean>, error: () => Error): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    ROUTE_QUEUE,
    async () => {
      throw error();
    },
    { connection, prefix: loket.config.QUEUE_PREFIX },
  );
  try {
    await waitFor(async () => (await until()) || undefined, 'the route jobs to fail for good');
  } finally {
    await worker.close();
    connection.disconnect();
  }
}

it('leaves a job that failed for good alone, round after round, and schedules a lost one again', async () => {
  const failing = await storedMessage('Faalt elke keer');
  const lost = await storedMessage('Kwijt in Redis');
  const queue = loket.queues.queue('route');
  const failingId = loket.queues.jobIdOf('route', { messageId: failing });
  const lostId = loket.queues.jobIdOf('route', { messageId: lost });

  await failRouteJobs(
    async () => (await queue.getJobState(failingId)) === 'failed' && (await queue.getJobState(lostId)) === 'failed',
    () => new Error('a bug in routing'),
  );
  const failed = (await queue.getJob(failingId))!;
  expect(failed.attemptsMade, 'its attempts are used up').toBe(2);
  // Redis came back without this one.
  await queue.remove(lostId);

  for (let round = 0; round < 3; round += 1) {
    const found = await sweep(loket.database.db, targets, settings);
    expect(found, `round ${round}: only the lost job is scheduled, once`).toEqual({ messages: round === 0 ? 1 : 0, outbox: 0 });
  }
  const after = (await queue.getJob(failingId))!;
  expect(await queue.getJobState(failingId)).toBe('failed');
  expect([after.finishedOn, after.attemptsMade, after.failedReason]).toEqual([failed.finishedOn, 2, 'a bug in routing']);
  expect(await queue.getJobState(lostId)).toBe('waiting');
});

it('leaves a job failed by an unrecoverable error alone too, though it had attempts left', async () => {
  const refused = await storedMessage('Onherstelbaar');
  const queue = loket.queues.queue('route');
  const id = loket.queues.jobIdOf('route', { messageId: refused });
  await failRouteJobs(
    async () => (await queue.getJobState(id)) === 'failed',
    () => new UnrecoverableError('no code expects this message'),
  );
  expect((await queue.getJob(id))!.attemptsMade).toBe(1);

  expect(await sweep(loket.database.db, targets, settings)).toEqual({ messages: 0, outbox: 0 });
  expect(await queue.getJobState(id)).toBe('failed');
});
