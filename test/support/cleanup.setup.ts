/**
 * Runs in every test file (vitest setupFiles): once the file's tests are done, whatever its
 * queue prefixes left in the shared Redis is removed. The global teardown then checks that
 * nothing of any test is left (test/global-setup.ts).
 */
import { afterAll } from 'vitest';
import { REDIS_URL, takeUsedPrefixes } from './prefixes.js';
import { dropKeys } from './redis-keys.js';

afterAll(async () => {
  for (const prefix of takeUsedPrefixes()) await dropKeys(REDIS_URL, `${prefix}*`);
});
