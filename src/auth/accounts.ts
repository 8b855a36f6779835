import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { users, type Role } from '../db/schema.js';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export const hashPassword = (password: string) => hash(password);

/** Someone who may use the workspace (a person with a session, or a machine with a token). */
export interface Principal {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
  /** The workspace's language for this person (a token's is Dutch). */
  locale: 'nl' | 'en';
}

export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string; team?: string }): Promise<number> {
  const [row] = await db
    .insert(users)
    .values({
      email: input.email.trim(),
      name: input.name.trim(),
      role: input.role,
      team: input.team?.trim() || null,
      passwordHash: await hashPassword(input.password),
    })
    .returning({ id: users.id });
  if (!row) throw new Error('user insert returned no row');
  return row.id;
}

/**
 * A hash of a random password, verified against when the address is unknown. Made when the
 * module loads, so the first unknown address does not pay for making it (a timing tell).
 */
const dummyHash = hashPassword(`no-such-user-${randomBytes(16).toString('hex')}`);

export type LoginResult = { ok: true; principal: Principal } | { ok: false };

/**
 * Checks an e-mail address and password. An unknown or disabled address costs the same
 * hashing time as a known one and gets the same answer, so neither tells which accounts
 * exist; slowing down guessers is the login throttle's work, not the account's.
 */
export async function checkLogin(db: Db, email: string, password: string): Promise<LoginResult> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email.trim()})`, isNull(users.disabledAt)));
  const good = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!user || !good) return { ok: false };
  return { ok: true, principal: { kind: 'user', id: user.id, name: user.name, role: user.role, locale: user.locale } };
}
