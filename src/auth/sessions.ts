import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { apiTokens, sessions, users, type Role } from '../db/schema.js';
import type { Principal } from './accounts.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** A session for a person who logged in; the returned token goes in the cookie. */
export async function createSession(db: Db, userId: number, hours: number): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    csrfToken,
    expiresAt: sql`now() + ${hours}::integer * interval '1 hour'`,
  });
  // Expired sessions go when someone logs in: no timer needed for a small table.
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  return { token, csrfToken };
}

/** The person behind a session cookie, with the session's CSRF token; undefined when expired or unknown. */
export async function sessionPrincipal(db: Db, token: string): Promise<(Principal & { csrfToken: string }) | undefined> {
  const [row] = await db
    .select({ id: users.id, name: users.name, role: users.role, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)));
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
  return row ? { kind: 'token', ...row } : undefined;
}
