import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const usedPrefixes = new Set<string>();

/**
 * A queue prefix no other test shares, so tests never see each other's jobs. It carries the
 * run's name (global-setup.ts) and is remembered, so its keys are removed once the test file
 * is done (cleanup.setup.ts).
 */
export const uniquePrefix = () => {
  const prefix = `{loket-test-${process.env['LOKET_TEST_RUN'] ?? 'solo'}-${randomBytes(4).toString('hex')}}`;
  usedPrefixes.add(prefix);
  return prefix;
};

/** The prefixes this test file made, forgotten as they are handed over. */
export function takeUsedPrefixes(): string[] {
  const taken = [...usedPrefixes];
  usedPrefixes.clear();
  return taken;
}
