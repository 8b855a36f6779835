/**
 * The mail quarantine for admins until the admin console has it:
 *   npm run quarantine -- list [all] | show <id> | reprocess <id> | discard <id>
 * Uses the same environment as Loket (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, ...).
 */
import { userInfo } from 'node:os';
import { Redis } from 'ioredis';
import { discardQuarantined, listQuarantine, quarantinedRaw, reprocessQuarantined } from '../channels/email/quarantine.js';
import { installationId } from '../src/installation.js';
import { Queues } from '../queues/jobs.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { Intake } from '../src/intake.js';
import { createLogger } from '../src/logger.js';

const [command = 'list', argument] = process.argv.slice(2);
const config = loadConfig();
const log = createLogger('warn');
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const id = Number(argument);
const actor = `script quarantine (${userInfo().username})`;
const needId = () => {
  if (!Number.isInteger(id) || id <= 0) throw new Error(`${command} needs a quarantine id`);
};

try {
  if (command === 'list') {
    for (const row of await listQuarantine(database.db, argument === 'all' ? 'all' : 'held')) {
      process.stdout.write(`${row.id}\t${row.status}\t${row.reason}\t${row.createdAt.toISOString()}\t${row.source}\t${row.externalId}\t${row.error ?? ''}\n`);
    }
  } else if (command === 'show') {
    needId();
    process.stdout.write((await quarantinedRaw(database.db, id))?.toString('utf8') ?? `quarantine ${id} has no raw source\n`);
  } else if (command === 'reprocess') {
    needId();
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    const queues = new Queues({
      connection: redis,
      prefix: config.QUEUE_PREFIX,
      jobIdScope: await installationId(database.db),
      attempts: config.JOB_ATTEMPTS,
      onError: (err) => log.warn({ err }, 'redis'),
    });
    const intake = new Intake(
      database.db,
      {
        scheduleRoute: (messageIds) =>
          queues.addMany(
            'route',
            messageIds.map((messageId) => ({ messageId })),
          ),
      },
      { referencePrefix: config.REF_PREFIX, log },
    );
    const accepted = await reprocessQuarantined(database.db, intake, id, actor);
    process.stdout.write(
      accepted
        ? `quarantine ${id} taken in as message ${accepted.messageId}${accepted.duplicate ? ' (already stored)' : ''}\n`
        : `quarantine ${id} is not held\n`,
    );
    await queues.close();
    redis.disconnect();
  } else if (command === 'discard') {
    needId();
    process.stdout.write((await discardQuarantined(database.db, id, actor)) ? `quarantine ${id} discarded\n` : `quarantine ${id} is not held\n`);
  } else {
    throw new Error(`unknown command ${command}: list | show <id> | reprocess <id> | discard <id>`);
  }
} finally {
  await database.close();
}
