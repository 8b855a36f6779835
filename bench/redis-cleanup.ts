import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Obliterates the named queues under a bench prefix, then deletes whatever else the
 * run left under that prefix (Loket's rate-limit counters). The prefix is unique to
 * the run, so nothing of anyone else's is touched.
 */
export async function dropQueueKeys(redisUrl: string, prefix: string, queueNames: string[]): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    for (const name of queueNames) {
      const queue = new Queue(name, { connection: redis, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
