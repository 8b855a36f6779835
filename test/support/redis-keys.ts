import { Redis } from 'ioredis';

/** Every key a test prefix of this run can make starts like this (uniquePrefix in loket.ts). */
export const testRunPattern = (run: string) => `{loket-test-${run}-*`;

/** The keys matching a SCAN pattern, on the Redis at `url`. */
export async function keysMatching(url: string, pattern: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** Deletes the keys matching a SCAN pattern; returns how many there were. */
export async function dropKeys(url: string, pattern: string): Promise<number> {
  const keys = await keysMatching(url, pattern);
  if (keys.length === 0) return 0;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
  return keys.length;
}
