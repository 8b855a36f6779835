/**
 * The baseline's workers, in a process of their own for the same reason Loket runs in
 * one (see loket.child.ts): the producer in the parent does not share their event loop.
 * They read Loket's own configuration, so concurrency, pool size, lock and attempts
 * are whatever Loket gets in this run.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startBaselineWorkers } from './baseline.chain.js';
import { serveParent } from './child.side.js';

serveParent(async () => {
  const config = loadConfig(process.env);
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
  // One shared connection, as Loket's composition root does; BullMQ duplicates it for blocking reads.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const closeWorkers = startBaselineWorkers({
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    pool,
    // route → deliver in Loket is two hops; the baseline's middle hop works like route.
    concurrencies: { 'bench-a': config.ROUTE_CONCURRENCY, 'bench-b': config.ROUTE_CONCURRENCY, 'bench-c': config.DELIVER_CONCURRENCY },
    lockSeconds: config.JOB_LOCK_SECONDS,
    attempts: config.JOB_ATTEMPTS,
  });
  return {
    stop: async () => {
      await closeWorkers();
      redis.disconnect();
      await pool.end();
    },
  };
});
