import { z } from 'zod';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

/** A shared secret or token: unset (or blank) means the feature it guards is off; too short is refused. */
const optionalSecret = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .refine((value) => value === undefined || value.length >= 16, { message: 'must be at least 16 characters' });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Whom to believe about the client's address: nobody, a number of proxy hops, or these proxies. */
export type TrustedProxies = false | number | string[];

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Default upload types: PDF, common images and office documents. */
const DEFAULT_UPLOAD_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/tiff',
  'image/webp',
  'image/heic',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
].join(',');

/** Every variable Loket reads, with its check and default. */
const environmentShape = {
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: positiveInt(20),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), { message: 'must start with redis:// or rediss://' }),
  QUEUE_PREFIX: z.string().min(1).default('{loket}'),
  SMTP_URL: optionalUrl(['smtp', 'smtps', 'lmtp']),
  MAIL_FROM: z.string().min(3).default('Contactcenter <contactcenter@loket.localhost>'),
  IMAP_URL: optionalUrl(['imap', 'imaps']),
  IMAP_POLL_SECONDS: positiveInt(60),
  IMAP_AFTER: z
    .string()
    .default('move:Loket/Verwerkt')
    .refine((v) => v === 'flag' || v === 'delete' || /^move:.+/.test(v), { message: 'must be move:<folder>, flag or delete' }),
  IMAP_MESSAGE_TIMEOUT_SECONDS: positiveInt(120),
  IMAP_RETRY_MAX_SECONDS: positiveInt(300),
  MAIL_MAX_BYTES: positiveInt(25 * 1024 * 1024),
  AUTO_REPLY_LIMIT: z.coerce.number().int().min(0).default(5),
  PUBLIC_URL: z.url().optional(),
  /** Sign-in with the organisation's account (OpenID Connect): the provider, Loket's client, and how its groups map to roles. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The claim that holds the person's groups or roles. */
  OIDC_ROLES_CLAIM: z.string().min(1).default('groups'),
  /** group=role pairs, comma-separated: `loket-medewerkers=agent,loket-coordinatoren=coordinator`. */
  OIDC_ROLE_MAP: z.string().default(''),
  /**
   * The employees' portal, when the form and the chat run inside it (src/auth/portal-identity.ts):
   * its issuer, the audience its ID tokens carry for Loket, its keys (default: the issuer's
   * discovery document) and the claim with the employee number.
   */
  PORTAL_ISSUER: z.url().optional(),
  PORTAL_AUDIENCE: z.string().min(1).optional(),
  PORTAL_JWKS_URL: z.url().optional(),
  PORTAL_EMPLOYEE_CLAIM: z.string().min(1).default('employee_number'),
  /**
   * Identity providers over plain http (the organisation's OIDC_ISSUER, the portal's
   * PORTAL_ISSUER and PORTAL_JWKS_URL): only for a provider on the same machine in tests;
   * anyone between Loket and an http provider could hand it their own keys.
   */
  IDENTITY_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REF_PREFIX: z
    .string()
    .default('ZK')
    .refine((v) => /^[A-Z]{1,8}$/.test(v), { message: 'must be 1 to 8 capital letters' }),
  /**
   * Which proxies in front of Loket to believe about the client's address (X-Forwarded-For):
   * `false` (none), `true` (one: the address the nearest proxy added), a number of hops, or
   * the proxies' addresses and ranges, comma-separated. Never the whole header: its first
   * entries are whatever the client wrote.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, context): TrustedProxies => {
      if (['false', '0', 'no', ''].includes(value)) return false;
      if (['true', 'yes'].includes(value)) return 1;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const valid = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/;
      if (entries.every((entry) => valid.test(entry))) return entries;
      context.addIssue({ code: 'custom', message: 'false, true, a number of hops, or proxy addresses/ranges separated by commas' });
      return z.NEVER;
    }),
  WEBFORM_MAX_FILES: positiveInt(10),
  WEBFORM_MAX_FILE_MB: z.coerce.number().positive().default(10),
  WEBFORM_ALLOWED_TYPES: csv(DEFAULT_UPLOAD_TYPES),
  WEBFORM_RATE_LIMIT_MAX: positiveInt(20),
  WEBFORM_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  CHAT_AGENT_TOKEN: optionalSecret(),
  CHAT_ALLOWED_ORIGINS: csv(''),
  CHAT_MAX_LENGTH: positiveInt(2_000),
  CHAT_RATE_LIMIT: positiveInt(10),
  CHAT_CONVERSATIONS_PER_HOUR: positiveInt(20),
  CHAT_IDLE_MINUTES: positiveInt(30),
  CONTACT_EMAIL: z.email().optional(),
  CONTACT_PHONE: z.string().min(3).default('088 0200 800'),
  METRICS_TOKEN: optionalSecret(),
  TELEPHONY_SECRET: optionalSecret(),
  SESSION_HOURS: positiveInt(10),
  // Decimals allowed (a test's timeout is seconds long).
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  LOGIN_RATE_LIMIT: positiveInt(10),
  LOGIN_FREE_FAILURES: positiveInt(3),
  LOGIN_DELAY_MAX_SECONDS: positiveInt(60),
  LOGIN_IP_FAILURES: positiveInt(50),
  LOGIN_IP_WINDOW_MINUTES: positiveInt(60),
  // A route job spends most of its time waiting for PostgreSQL, Redis and the .eml writer;
  // 32 at once let group commit gather more (bench:pipeline: 287 → 356-406 msg/s, bench:chat 188 → 208).
  ROUTE_CONCURRENCY: positiveInt(32),
  DELIVER_CONCURRENCY: positiveInt(8),
  OCR_CONCURRENCY: positiveInt(1),
  OCR_TIMEOUT_SECONDS: positiveInt(120),
  LETTER_MAX_SCANS: positiveInt(20),
  LETTER_MAX_SCAN_MB: z.coerce.number().positive().default(25),
  LETTER_ORGANISATION: z.string().trim().min(1).default('Contactcenter'),
  LETTER_RETURN_ADDRESS: z.string().trim().min(1).default('Postbus 20011, 2500 EA Den Haag'),
  JOB_ATTEMPTS: positiveInt(10),
  JOB_LOCK_SECONDS: positiveInt(30),
  SWEEP_SECONDS: positiveInt(30),
  /** A job that failed for good is tried again by the sweep after this many minutes (0: at the next sweep). */
  SWEEP_FAILED_RETRY_MINUTES: z.coerce.number().int().min(0).default(60),
  OUTBOX_LEASE_SECONDS: positiveInt(120),
  /** Seconds between rounds of the SLA clock (pauses, warnings, breaches) in worker processes. */
  SLA_SWEEP_SECONDS: positiveInt(60),
  /** How often a worker removes the personal data of closed cases past their retention period (src/privacy/retention.ts). */
  RETENTION_SWEEP_SECONDS: positiveInt(3_600),
  /** How often a worker counts the report figures again (src/reports/report.refresh.ts). */
  REPORTS_REFRESH_SECONDS: positiveInt(300),
  /** Seconds between a process's checks for new topic corrections (it retrains when there are). */
  CLASSIFIER_REFRESH_SECONDS: positiveInt(30),
  /** Where the topic classifier's base set is (default: training/ in the installation). */
  CLASSIFIER_TRAINING_DIR: z.string().trim().min(1).optional(),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(25),
};

export const configSchema = z
  .object(environmentShape)
  .superRefine((env, ctx) => {
    if (env.ROLE !== 'all' && env.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: `is required when ROLE=${env.ROLE}; the embedded database serves ROLE=all only`,
      });
    }
    for (const key of ['OIDC_ISSUER', 'PORTAL_ISSUER', 'PORTAL_JWKS_URL'] as const) {
      if (env[key]?.startsWith('http://') && !env.IDENTITY_ALLOW_HTTP) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be https (IDENTITY_ALLOW_HTTP=true allows http, for a test provider only)' });
      }
    }
  })
  .transform((env) => {
    const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.HTTP_PORT}`).replace(/\/+$/, '');
    return {
      ...env,
      PUBLIC_URL: publicUrl,
      CHAT_ALLOWED_ORIGINS: env.CHAT_ALLOWED_ORIGINS.length > 0 ? env.CHAT_ALLOWED_ORIGINS : [new URL(publicUrl).origin],
      CONTACT_EMAIL: env.CONTACT_EMAIL ?? addressOf(env.MAIL_FROM),
    };
  });

/** The bare address in `Name <address>` or `address`. */
function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

export type Config = z.infer<typeof configSchema>;

/** The names of every environment variable Loket reads. */
export const configVariables = (): string[] => Object.keys(environmentShape);

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(problems);
}
