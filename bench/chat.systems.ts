import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, type BenchChild } from './child.js';
import type { Cleanup } from './cleanup.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';
import { dropQueueKeys } from './redis-cleanup.js';
import { loketChildEnv } from './harness.js';

/** A chat server under measurement, in a child process. */
export interface ChatSystem {
  name: string;
  child: BenchChild;
  url: string;
  /** Where the child records its event loop each second (chat.loop.ts). */
  loopFile: string;
  /** Loket only: its database and queue prefix, to see where the time went. */
  loket?: { database: BenchDatabase; prefix: string };
}

/** A temporary folder for the child's data and loop file, removed at clean-up. */
async function workDir(cleanup: Cleanup, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `loket-chat-bench-${name}-`));
  cleanup.add(`remove ${name} data dir`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

function uniquePrefix(cleanup: Cleanup, redisUrl: string, queues: string[]): string {
  const prefix = `{loket-chat-bench-${randomBytes(4).toString('hex')}}`;
  cleanup.add(`remove Redis keys of ${prefix}`, () => dropQueueKeys(redisUrl, prefix, queues));
  return prefix;
}

/**
 * Loket (ROLE=all: web, route and deliver workers in one process) on a fresh database
 * and a queue prefix of its own, clock fixed inside office hours (chat.child.ts).
 */
export async function startChatLoket(cleanup: Cleanup, redisUrl: string): Promise<ChatSystem> {
  const database = await createBenchDatabase();
  cleanup.add('drop Loket database', () => database.drop());
  const dataDir = await workDir(cleanup, 'loket');
  const prefix = uniquePrefix(cleanup, redisUrl, ['route', 'deliver']);
  const loopFile = path.join(dataDir, 'event-loop.jsonl');
  const child = await startChild('chat.child', {
    ...loketChildEnv({ databaseUrl: database.url, dataDir, redisUrl, prefix }),
    // A visitor sends two events per cycle, 10 per 10 s at the default pace: exactly the
    // default limit. The limit is per socket and is not what is measured.
    CHAT_RATE_LIMIT: '1000000',
    // Every bench visitor comes from 127.0.0.1; the per-client conversation limit is not measured either.
    CHAT_CONVERSATIONS_PER_HOUR: '100000000',
    BENCH_CHAT_LOOP_FILE: loopFile,
  });
  cleanup.add('stop Loket', () => child.stop());
  return { name: 'Loket', child, url: child.url!, loopFile, loket: { database, prefix } };
}

/** The bare socket.io echo server (chat.echo.child.ts) on the same Redis, adapter under a prefix of its own. */
export async function startChatEcho(cleanup: Cleanup, redisUrl: string): Promise<ChatSystem> {
  const dataDir = await workDir(cleanup, 'echo');
  const prefix = uniquePrefix(cleanup, redisUrl, []);
  const loopFile = path.join(dataDir, 'event-loop.jsonl');
  const child = await startChild('chat.echo.child', { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, BENCH_CHAT_LOOP_FILE: loopFile });
  cleanup.add('stop echo server', () => child.stop());
  return { name: 'baseline', child, url: child.url!, loopFile };
}
