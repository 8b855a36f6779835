import type { Logger } from 'pino';

/** node-postgres and PostgreSQL codes that mean "the database is not there", not "this request is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Whether an error (or one of its causes) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let current = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && /^Connection terminated|timeout exceeded when trying to connect/.test(message)) return true;
  }
  return false;
}

/**
 * Remembers that the database is away, so its outage is logged once when it starts and once
 * when it ends (found by pinging every few seconds), not on every request that meets it.
 */
export class DatabaseOutage {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly log: Logger,
    private readonly everyMs = 2_000,
  ) {}

  get down(): boolean {
    return this.timer !== undefined;
  }

  /** A request met the outage: the first one says so, the rest are quiet until it is over. */
  noticed(err: unknown): void {
    if (this.timer) return;
    const cause = err as { code?: string; message?: string };
    this.log.error({ code: cause.code, reason: cause.message?.split('\n')[0] }, 'database unavailable; answering 503 until it is back');
    this.timer = setInterval(() => {
      this.ping().then(
        () => this.ended(),
        () => undefined,
      );
    }, this.everyMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private ended(): void {
    if (!this.timer) return;
    this.close();
    this.log.info('database back');
  }
}
