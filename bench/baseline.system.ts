import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createBenchDatabase } from './database.js';
import { baselineJobOptions, createBaselineTables, DONE_TABLE, openStage, STAGES } from './baseline.chain.js';
import { backendCpuMs } from './backend-cpu.js';
import { startChild } from './child.js';
import type { Cleanup } from './cleanup.js';
import { dropQueueKeys } from './redis-cleanup.js';
import { toFinishedMap, type SystemUnderTest } from './system.js';

/**
 * The bare BullMQ chain in a child process on a database of its own; jobs are added
 * straight to the first queue from this process (no HTTP, no intake).
 */
export async function startBaselineSystem(cleanup: Cleanup, redisUrl: string): Promise<SystemUnderTest> {
  const database = await createBenchDatabase();
  cleanup.add('drop baseline database', () => database.drop());
  const setup = new pg.Pool({ connectionString: database.url, max: 1 });
  await createBaselineTables(setup);
  await setup.end();
  const prefix = `{loket-bench-base-${randomBytes(4).toString('hex')}}`;
  cleanup.add('remove baseline queues', () => dropQueueKeys(redisUrl, prefix, [...STAGES]));

  const child = await startChild('baseline.child', { DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
  cleanup.add('stop baseline', () => child.stop());
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const first = openStage('bench-a', redis, prefix);
  cleanup.add('close baseline producer', async () => {
    await first.close();
    redis.disconnect();
  });
  const { JOB_ATTEMPTS } = loadConfig(process.env);

  let sequence = 0;
  const send = async () => {
    const key = `m-${sequence++}`;
    await first.add('bench-a', { key }, baselineJobOptions(JOB_ATTEMPTS, key));
    return key;
  };

  return {
    name: 'baseline',
    child,
    send,
    databaseCpuMs: () => backendCpuMs(database),
    finishedCount: async () => {
      const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${DONE_TABLE}`);
      return row?.n ?? 0;
    },
    finishedAt: async (keys) =>
      toFinishedMap(await database.query(`select key, extract(epoch from at) * 1000 as at_ms from ${DONE_TABLE} where key = any($1)`, [keys])),
  };
}
