import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startLoket, type Loket } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { REDIS_URL, uniquePrefix } from './prefixes.js';

export interface TestLoket extends Loket {
  db: TestDatabase | undefined;
  dataDir: string;
  /** Closes Loket, drops its database and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * Loket in this process against the real Redis and a database of its own on the real
 * PostgreSQL (or PGlite with `embedded: true`), on a free port.
 */
export async function startTestLoket(
  env: Record<string, string> = {},
  options: { embedded?: boolean; database?: TestDatabase; clock?: () => Date; log?: Logger } = {},
): Promise<TestLoket> {
  const db = options.embedded ? undefined : (options.database ?? (await createTestDatabase()));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-test-'));
  const config = loadConfig({
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL,
    QUEUE_PREFIX: uniquePrefix(),
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    SWEEP_SECONDS: '2',
    // The SLA clock tells agents and coordinators by mail: only the tests of it run it.
    SLA_SWEEP_SECONDS: '3600',
    // Every test's visitors come from 127.0.0.1: the per-client chat limit has its own test.
    CHAT_CONVERSATIONS_PER_HOUR: '100000',
    ...(db ? { DATABASE_URL: db.url } : {}),
    ...env,
  });
  const loket = await startLoket(config, { log: options.log ?? createLogger(config.LOG_LEVEL), clock: options.clock });
  return {
    ...loket,
    db,
    dataDir,
    stop: async () => {
      await loket.close();
      if (!options.database) await db?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends a form message over HTTP as a citizen would; returns the registration number of its 202. */
export async function postWebform(url: string, fields: { name: string; email: string; subject: string; message: string }): Promise<string> {
  const response = await fetch(`${url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const body = (await response.json()) as { reference?: string };
  if (response.status !== 202 || !body.reference) throw new Error(`the form was answered ${response.status}: ${JSON.stringify(body)}`);
  return body.reference;
}

/** A logger that keeps Loket's log lines (parsed) for a test to read. */
export function capturingLogger(level = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  // Loket's own logger (its serializers and redaction), writing into `lines`.
  const log = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}
