import { Cleanup } from './cleanup.js';
import { sleep } from './clock.js';

let active: Cleanup | undefined;

/** Starts a system, measures it and tears it down, so the next system runs alone. */
export async function measureAlone<S, R>(start: (cleanup: Cleanup) => Promise<S>, measure: (system: S) => Promise<R>): Promise<R> {
  const cleanup = (active = new Cleanup());
  try {
    return await measure(await start(cleanup));
  } finally {
    const failed = await cleanup.run();
    for (const problem of failed) process.stderr.write(`cleanup: ${problem}\n`);
  }
}

/**
 * A bench's main: bounded in time even when something hangs (undo what exists, briefly,
 * then leave with 2); 1 when the bench itself broke; 0 otherwise — never a verdict on speed.
 */
export function runBench(timeoutSeconds: number, body: () => Promise<void>): void {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: gave up after ${timeoutSeconds} s; cleaning up\n`);
    void Promise.race([active?.run(), sleep(30_000)]).finally(() => process.exit(2));
  }, timeoutSeconds * 1_000);
  watchdog.unref();
  body().then(
    // Sockets of the clients may keep the loop alive for their keep-alive timeout.
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** A whole number from the environment, or the fallback; anything else stops the bench naming the variable. */
export function intFromEnv(name: string, fallback: number, { allowZero = false } = {}): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${raw}`);
  }
  return value;
}

/**
 * The environment of a Loket under test in a child process (ROLE=all): its own database,
 * data folder and queue prefix, quiet logs, no mail leaving the machine.
 */
export function loketChildEnv(system: { databaseUrl: string; dataDir: string; redisUrl: string; prefix: string }): Record<string, string> {
  return {
    ROLE: 'all',
    // Loket's processes run with this heap limit in production (Dockerfile, scripts/start.sh);
    // BENCH_LOKET_NODE_OPTIONS tries others (a young generation's size, say).
    NODE_OPTIONS: process.env['BENCH_LOKET_NODE_OPTIONS'] ?? '--max-old-space-size=1024',
    DATABASE_URL: system.databaseUrl,
    DATA_DIR: system.dataDir,
    REDIS_URL: system.redisUrl,
    QUEUE_PREFIX: system.prefix,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    // Logging is not what is measured; BENCH_LOG_LEVEL=warn shows why a run stalls.
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'silent',
    // Answers become .eml files in DATA_DIR whatever this shell has set: loopback only.
    SMTP_URL: '',
    IMAP_URL: '',
  };
}
