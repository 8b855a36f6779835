import { pino, type Logger } from 'pino';

export type { Logger };

/** The one root logger: JSON lines, secrets and message bodies redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'loket' },
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
