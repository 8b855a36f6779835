import { randomBytes } from 'node:crypto';
import { buildConsole, buildWidget } from '../channels/chat/widget/build.js';
import { openDatabase } from '../src/db/database.js';
import { createTestDatabase, TEMPLATE_ENV } from './support/postgres.js';
import { REDIS_URL } from './support/prefixes.js';
import { dropKeys, keysMatching, testRunPattern } from './support/redis-keys.js';

/**
 * Runs once around all test files: builds the widget Loket serves at /widget.js (and the agents'
 * chat console's script); migrates an empty PostgreSQL database once, the template every test
 * database is copied from (so the migrations from empty are run, and checked, by every run);
 * names this run (its queue prefixes carry the name, so two runs on one machine never judge
 * each other's keys), and at the end checks that every test removed what it left in the shared
 * Redis (each file removes its own queue prefixes): keys left over fail the run, after they are
 * removed.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const [template] = await Promise.all([migratedTemplate(), buildWidget('dist/widget/widget.js'), buildConsole('dist/widget/console.js')]);
  process.env[TEMPLATE_ENV] = template.name;
  const run = randomBytes(3).toString('hex');
  process.env['LOKET_TEST_RUN'] = run;
  return async () => {
    await template.drop();
    const left = await keysMatching(REDIS_URL, testRunPattern(run));
    if (left.length === 0) return;
    const prefixes = [...new Set(left.map((key) => key.slice(0, key.indexOf('}') + 1)))];
    await dropKeys(REDIS_URL, testRunPattern(run));
    // vitest reports an error thrown here but still exits 0: the exit code says it instead.
    console.error(`the tests left ${left.length} keys in Redis under ${prefixes.length} prefixes: ${prefixes.slice(0, 10).join(', ')}`);
    process.exitCode = 1;
  };
}

/** An empty database with Loket's migrations applied, and nobody connected to it (a template must have no sessions). */
async function migratedTemplate() {
  const template = await createTestDatabase({ namePrefix: 'loket_template', empty: true });
  const database = await openDatabase({ databaseUrl: template.url, dataDir: 'unused', poolSize: 1 });
  await database.close();
  return template;
}
