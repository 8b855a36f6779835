import { randomBytes } from 'node:crypto';
import { buildConsole, buildWidget } from '../channels/chat/widget/build.js';
import { REDIS_URL } from './support/prefixes.js';
import { dropKeys, keysMatching, testRunPattern } from './support/redis-keys.js';

/**
 * Runs once around all test files: builds the widget Loket serves at /widget.js (and the agents'
 * chat console's script), names this
 * run (its queue prefixes carry the name, so two runs on one machine never judge each other's
 * keys), and at the end checks that every test removed what it left in the shared Redis (each
 * file removes its own queue prefixes): keys left over fail the run, after they are removed.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await Promise.all([buildWidget('dist/widget/widget.js'), buildConsole('dist/widget/console.js')]);
  const run = randomBytes(3).toString('hex');
  process.env['LOKET_TEST_RUN'] = run;
  return async () => {
    const left = await keysMatching(REDIS_URL, testRunPattern(run));
    if (left.length === 0) return;
    const prefixes = [...new Set(left.map((key) => key.slice(0, key.indexOf('}') + 1)))];
    await dropKeys(REDIS_URL, testRunPattern(run));
    // vitest reports an error thrown here but still exits 0: the exit code says it instead.
    console.error(`the tests left ${left.length} keys in Redis under ${prefixes.length} prefixes: ${prefixes.slice(0, 10).join(', ')}`);
    process.exitCode = 1;
  };
}
