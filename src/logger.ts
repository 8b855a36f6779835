import { pino, type Logger } from 'pino';

export type { Logger };

/** What PostgreSQL says about an error that names no value: which rule, on which table. */
const DATABASE_FIELDS = ['code', 'severity', 'constraint', 'table', 'schema', 'column', 'dataType', 'routine'] as const;

/** An error PostgreSQL (through pg or PGlite) raised: a five-character SQLSTATE and a severity. */
function isDatabaseError(err: Error): err is Error & Record<(typeof DATABASE_FIELDS)[number], unknown> {
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/** A message with what it quotes blanked: `invalid input syntax for type integer: "…"`. */
const withoutValues = (message: string) => message.replace(/"[^"]*"/g, '"…"').replace(/=\([^)]*\)/g, '=(…)');

const stackFrames = (err: Error) =>
  (err.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');

/**
 * Errors as pino writes them, without the personal data a database error carries: a failed
 * query's parameters (Drizzle's DrizzleQueryError: names, addresses, what people wrote), and
 * PostgreSQL's `detail`, `where` and quoted values (`Key (email)=(…) already exists`). What
 * stays says which rule failed where: SQLSTATE, constraint, table, column, routine, stack.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return pino.stdSerializers.err(err as Error);
  const cause = err.cause instanceof Error ? serializeError(err.cause) : undefined;
  if ('query' in err && 'params' in err) {
    return {
      type: err.name,
      message: `failed query: ${String(err.query).replace(/\s+/g, ' ').slice(0, 200)} (parameters withheld)`,
      stack: stackFrames(err),
      ...(cause ? { cause } : {}),
    };
  }
  if (isDatabaseError(err)) {
    const fields = Object.fromEntries(DATABASE_FIELDS.filter((key) => typeof err[key] === 'string').map((key) => [key, err[key]]));
    return { type: err.name, message: withoutValues(err.message), ...fields, stack: stackFrames(err), ...(cause ? { cause } : {}) };
  }
  const plain = pino.stdSerializers.err(err) as Record<string, unknown>;
  // The standard serializer folds the causes' messages and stacks into these; a cause is written on its own.
  return cause ? { ...plain, message: err.message, stack: err.stack, cause } : plain;
}

/** The one root logger: JSON lines, secrets and message bodies redacted. `destination`: for tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
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
  };
  return destination ? pino(options, destination) : pino(options);
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
