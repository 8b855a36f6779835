import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Errors as pino writes them, except a failed query's (Drizzle's DrizzleQueryError): its
 * message and stack carry the statement's parameters — names, addresses, what people wrote —
 * so only the statement's start and the database's own error are kept.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error) || !('query' in err) || !('params' in err)) return pino.stdSerializers.err(err as Error);
  const frames = (err.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
  const cause = err.cause instanceof Error ? serializeError(err.cause) : undefined;
  return {
    type: err.name,
    message: `failed query: ${String(err.query).replace(/\s+/g, ' ').slice(0, 200)} (parameters withheld)`,
    stack: frames.join('\n'),
    ...(cause ? { cause } : {}),
  };
}

/** The one root logger: JSON lines, secrets and message bodies redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'loket' },
    serializers: { err: serializeError },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'statusToken',
        '*.statusToken',
        'text',
        '*.text',
        'html',
        '*.html',
        'body',
        '*.body',
        'req.headers.authorization',
        'req.headers.cookie',
        'config.DATABASE_URL',
        'config.SMTP_URL',
        'config.REDIS_URL',
      ],
      censor: '[redacted]',
    },
  });
}

/** Logs a recurring connection error once per interval instead of on every retry. */
export function throttledErrorLogger(log: Logger, msg: string, intervalMs = 10_000): (err: unknown) => void {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed += 1;
      return;
    }
    log.warn({ err, suppressed }, msg);
    last = now;
    suppressed = 0;
  };
}
