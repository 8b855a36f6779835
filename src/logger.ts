import { pino, type Logger } from 'pino';

export type { Logger };

/** What PostgreSQL says about an error that names no value: which rule, on which table. */
const DATABASE_FIELDS = ['code', 'severity', 'constraint', 'table', 'schema', 'column', 'dataType', 'routine'] as const;

/**
 * What any error may keep: codes, the system call, a status, a server's answer (imapflow,
 * nodemailer). Everything else an error carries is left out, since it may quote the input it
 * failed on: PostgreSQL's `detail` and `where`, a query's `params`, a Redis command's `args`.
 */
const SAFE_FIELDS = ['code', 'errno', 'syscall', 'statusCode', 'responseCode', 'serverResponseCode', 'responseStatus', 'responseText', 'response'] as const;

/** How deep causes and gathered errors are followed: a cycle of causes ends here. */
const MAX_DEPTH = 5;

/** An error PostgreSQL (through pg or PGlite) raised: a five-character SQLSTATE and a severity. */
function isDatabaseError(err: Error): err is Error & Record<(typeof DATABASE_FIELDS)[number], unknown> {
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/**
 * A database message with what it quotes blanked, except the error's own names (its table,
 * constraint, column): `invalid input syntax for type integer: "…"`. A quoted value may hold
 * quotes itself, so everything from the first other quote to the last is taken as one value.
 */
function withoutValues(message: string, names: ReadonlySet<string>): string {
  let kept = '';
  let rest = message.replace(/=\(.*\)/s, '=(…)');
  for (let quote = rest.indexOf('"'); quote >= 0; quote = rest.indexOf('"')) {
    const close = rest.indexOf('"', quote + 1);
    if (close < 0 || !names.has(rest.slice(quote + 1, close))) {
      const last = rest.lastIndexOf('"');
      return `${kept}${rest.slice(0, quote)}"…"${last > quote ? rest.slice(last + 1) : ''}`;
    }
    kept += rest.slice(0, close + 1);
    rest = rest.slice(close + 1);
  }
  return kept + rest;
}

/** A query's text with its string literals blanked; its parameters are never written. */
const queryWithoutValues = (query: unknown) =>
  String(query)
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\s+/g, ' ')
    .slice(0, 200);

const stackFrames = (err: Error) =>
  (err.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');

const pick = (err: object, keys: readonly string[]) =>
  Object.fromEntries(
    keys.flatMap((key) => {
      const value = (err as Record<string, unknown>)[key];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [[key, value]] : [];
    }),
  );

/** A failed command's name without its arguments (ioredis: `{ name, args }`; nodemailer: `'RCPT TO'`). */
function commandName(err: Error): { command?: unknown } {
  const command = (err as { command?: unknown }).command;
  if (typeof command === 'string') return { command };
  const name = (command as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? { command: { name } } : {};
}

function serialize(err: Error, depth: number): Record<string, unknown> {
  const below = (inner: unknown) => (inner instanceof Error && depth < MAX_DEPTH ? serialize(inner, depth + 1) : undefined);
  const cause = below(err.cause);
  const gathered = err instanceof AggregateError && Array.isArray(err.errors) ? err.errors.map(below).filter(Boolean) : [];
  const nested = { ...(cause ? { cause } : {}), ...(gathered.length > 0 ? { aggregateErrors: gathered } : {}) };
  if ('query' in err && 'params' in err) {
    // Drizzle's DrizzleQueryError: its message lists the parameters.
    return { type: err.name, message: `failed query: ${queryWithoutValues(err.query)} (parameters withheld)`, stack: stackFrames(err), ...nested };
  }
  if (isDatabaseError(err)) {
    const fields = pick(err, DATABASE_FIELDS);
    const names = new Set(Object.values(fields).map(String));
    return { type: err.name, message: withoutValues(err.message, names), ...fields, stack: stackFrames(err), ...nested };
  }
  const type = err.constructor?.name || err.name;
  return {
    type,
    ...(err.name !== type ? { name: err.name } : {}),
    message: err.message,
    ...pick(err, SAFE_FIELDS),
    ...commandName(err),
    stack: err.stack,
    ...nested,
  };
}

/**
 * Errors as pino writes them, without the personal data they may carry: a failed query's
 * parameters (Drizzle's DrizzleQueryError), PostgreSQL's `detail`, `where` and quoted values
 * (`Key (email)=(…) already exists`), a Redis command's arguments. What stays says what failed
 * where: SQLSTATE, constraint, table, column, routine, codes, the stack; causes and the errors
 * of an AggregateError are written the same way.
 */
export function serializeError(err: unknown): unknown {
  if (err instanceof Error) return serialize(err, 0);
  // Something thrown that is no Error (a rejected object): only what an error may keep.
  return typeof err === 'object' && err !== null ? pick(err, ['message', ...SAFE_FIELDS]) : err;
}

/**
 * A request's path as a log line may hold it: without its query (searches carry names and
 * addresses) and with every long opaque segment (a case page's token, a satisfaction link,
 * a file's hash) written as `:token`.
 */
export const loggablePath = (url: string) =>
  (url.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{20,}$/.test(segment) ? ':token' : segment))
    .join('/');

/** Requests as a log line holds them (Fastify's own serializer with the path made safe). */
function serializeRequest(request: { method?: string; url?: string; host?: string; socket?: { remoteAddress?: string } }) {
  return { method: request.method, url: loggablePath(request.url ?? ''), host: request.host, remoteAddress: request.socket?.remoteAddress };
}

/** The one root logger: JSON lines, secrets and message bodies redacted. `destination`: for tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'loket' },
    serializers: { err: serializeError, req: serializeRequest },
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
