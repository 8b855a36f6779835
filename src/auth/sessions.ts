import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { apiTokens, sessions, users, type Role } from '../db/schema.js';
import type { Principal } from './accounts.js';
import { csrfTokenFor, newCsrfSecret } from './csrf.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** How long a session lasts: at most `hours` after logging in, and `idleMinutes` after its last request. */
export interface SessionLimits {
  hours: number;
  idleMinutes: number;
}

const hoursAfter = (from: SQLWrapper, hours: number) => sql`${from} + ${hours}::integer * interval '1 hour'`;
const idleDeadline = (minutes: number) => sql`now() + ${minutes * 60}::double precision * interval '1 second'`;

/** A session for a person who logged in; the returned token goes in the cookie, the CSRF token to the login's answer. */
export async function createSession(db: Db, userId: number, limits: SessionLimits): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  // The column csrf_token keeps its name (no migration); it holds the session's CSRF secret (auth/csrf.ts).
  const csrfSecret = newCsrfSecret();
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    csrfToken: csrfSecret,
    expiresAt: sql`least(${hoursAfter(sql`now()`, limits.hours)}, ${idleDeadline(limits.idleMinutes)})`,
  });
  // Expired sessions go when someone logs in: no timer needed for a small table.
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  return { token, csrfToken: csrfTokenFor(csrfSecret) };
}

type SessionPerson = Principal & { csrfSecret: string };

/**
 * The person behind a session cookie, with the session's CSRF secret; undefined when expired
 * or unknown. Only looks: the session's idle deadline stays where it was.
 */
export async function sessionPrincipal(db: Db, token: string): Promise<SessionPerson | undefined> {
  const [row] = await db
    .select({ id: users.id, name: users.name, role: users.role, locale: users.locale, csrfSecret: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)));
  return row ? { kind: 'user', ...row } : undefined;
}

/**
 * Like `sessionPrincipal`, for a request the person made: their session's idle deadline moves
 * on (never past the absolute limit counted from the login), in the same statement.
 */
export async function continueSession(db: Db, token: string, limits: SessionLimits): Promise<SessionPerson | undefined> {
  const [row] = await db
    .update(sessions)
    .set({ expiresAt: sql`least(${hoursAfter(sessions.createdAt, limits.hours)}, ${idleDeadline(limits.idleMinutes)})` })
    .from(users)
    .where(
      and(
        eq(users.id, sessions.userId),
        eq(sessions.tokenHash, sha256(token)),
        gt(sessions.expiresAt, sql`now()`),
        sql`${hoursAfter(sessions.createdAt, limits.hours)} > now()`,
        isNull(users.disabledAt),
      ),
    )
    .returning({ id: users.id, name: users.name, role: users.role, locale: users.locale, csrfSecret: sessions.csrfToken });
  return row ? { kind: 'user', ...row } : undefined;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** A new API token for a machine; shown once, stored as its hash. */
export async function createApiToken(db: Db, name: string, role: Role): Promise<string> {
  const token = `lkt_${randomToken()}`;
  await db.insert(apiTokens).values({ name, role, tokenHash: sha256(token) });
  return token;
}

export async function tokenPrincipal(db: Db, token: string): Promise<Principal | undefined> {
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role });
  return row ? { kind: 'token', ...row, locale: 'nl' } : undefined;
}
