/**
 * Work that fails every time is not tried again at every sweep: a route job that failed for
 * good stays failed until SWEEP_FAILED_RETRY_MINUTES have passed since it failed, then the
 * sweep tries it once more. Real: Redis (BullMQ), PostgreSQL, the route worker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL } from './support/prefixes.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ JOB_ATTEMPTS: '1' });
});

afterAll(async () => {
  await loket?.stop();
});

it('leaves a fresh failure alone and tries again once it is older than the wait', async () => {
  // A message id that does not exist: its route job fails for good every time.
  const payload = { messageId: 987_654_321 };
  const id = loket.queues.jobIdOf('route', payload);
  const queue = loket.queues.queue('route');
  await loket.queues.add('route', payload);
  await waitFor(async () => (await queue.getJobState(id)) === 'failed' || undefined, 'the job to fail');
  const failedAt = (await queue.getJob(id))!.finishedOn!;

  await loket.queues.reschedule('route', payload);
  expect(await queue.getJobState(id), 'a fresh failure is left as it is').toBe('failed');
  expect((await queue.getJob(id))!.finishedOn).toBe(failedAt);

  // Two hours later (the job's own record says so): the sweep tries it once more.
  const redis = new Redis(REDIS_URL);
  await redis.hset(`${loket.config.QUEUE_PREFIX}:${queue.name}:${id}`, 'finishedOn', String(failedAt - 2 * 3_600_000));
  redis.disconnect();
  await loket.queues.reschedule('route', payload);
  await waitFor(async () => {
    const job = await queue.getJob(id);
    return ((await queue.getJobState(id)) === 'failed' && job && job.finishedOn! > failedAt) || undefined;
  }, 'the job to be tried again and fail again');
});
