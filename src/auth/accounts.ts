import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { users, type Role } from '../db/schema.js';

/** Failed logins in a row that lock an account, and for how long. */
export const LOCKOUT = { failures: 5, minutes: 15 } as const;

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export const hashPassword = (password: string) => hash(password);

/** Someone who may use the workspace (a person with a session, or a machine with a token). */
export interface Principal {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
}

export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }): Promise<number> {
  const [row] = await db
    .insert(users)
    .values({ email: input.email.trim(), name: input.name.trim(), role: input.role, passwordHash: await hashPassword(input.password) })
    .returning({ id: users.id });
  if (!row) throw new Error('user insert returned no row');
  return row.id;
}

export type LoginResult = { ok: true; principal: Principal } | { ok: false; reason: 'invalid' | 'locked' };

/**
 * Checks an e-mail address and password. Wrong passwords count towards a temporary lockout;
 * an unknown address costs the same hashing time as a known one, so timing tells nothing.
 */
export async function checkLogin(db: Db, email: string, password: string): Promise<LoginResult> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email.trim()})`, isNull(users.disabledAt)));
  if (!user) {
    await verify(await dummyHash(), password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) return { ok: false, reason: 'locked' };
  if (!(await verify(user.passwordHash, password).catch(() => false))) {
    const [after] = await db
      .update(users)
      .set({
        failedLogins: sql`${users.failedLogins} + 1`,
        lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${LOCKOUT.failures} then now() + ${LOCKOUT.minutes}::integer * interval '1 minute' else ${users.lockedUntil} end`,
      })
      .where(eq(users.id, user.id))
      .returning({ lockedUntil: users.lockedUntil });
    return { ok: false, reason: after?.lockedUntil && after.lockedUntil > new Date() ? 'locked' : 'invalid' };
  }
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  return { ok: true, principal: { kind: 'user', id: user.id, name: user.name, role: user.role } };
}

let dummy: Promise<string> | undefined;
/** A hash of a random password, verified against when the address is unknown; made on first need. */
const dummyHash = () => (dummy ??= hashPassword(`no-such-user-${Math.random()}`));
