import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '../db/database.js';
import { audit, settings, settingVersions } from '../db/schema.js';
import { SETTINGS, type SettingKey } from '../settings.store.js';
import type { UiLocale } from '../workspace/language.js';
import { englishMessages, settingErrorMap } from './setting.messages.js';
import { readTopicsSetting, topicsSettingSchema, writeTopicsSetting } from '../policy/topics.setting.js';

/** Every setting admins edit with versions; `topics` lives in its own table, the rest in `settings`. */
export const VERSIONED_KEYS = [
  'routing.rules',
  'topics',
  'chat.topics',
  'office.hours',
  'reply.templates',
  'delivery.retry',
  'chat.console',
  'classify.confidence',
  'sla.targets',
  'complaint.deadlines',
  'retention.periods',
] as const;
export type VersionedKey = (typeof VERSIONED_KEYS)[number];

export const isVersionedKey = (key: string): key is VersionedKey => (VERSIONED_KEYS as readonly string[]).includes(key);

function schemaOf(key: VersionedKey): z.ZodType {
  return key === 'topics' ? topicsSettingSchema : SETTINGS[key as SettingKey].schema;
}

/** One problem with a submitted value: where (`nr. 3 › when › subjectMatches`) and what, in Dutch and in English. */
export interface SettingIssue {
  path: string;
  message: string;
  /** The same place as keys and list indexes (from 0), for a form to put the message next to its field. */
  at?: (string | number)[];
  /** Path and message for an admin who works in English. */
  en: { path: string; message: string };
}

/** Where and what in the admin's language. */
export const issueIn = (issue: SettingIssue, lang: UiLocale): { path: string; message: string } =>
  lang === 'en' ? issue.en : { path: issue.path, message: issue.message };

/** The issues as a JSON answer gives them: path, message and place, in the admin's language. */
export const issuesIn = (issues: readonly SettingIssue[], lang: UiLocale) => issues.map((issue) => ({ ...issueIn(issue, lang), at: issue.at }));

/** A value that its setting's schema refuses; `issues` name each field. */
export class SettingValidationError extends Error {
  override name = 'SettingValidationError';
  constructor(
    readonly key: string,
    readonly issues: SettingIssue[],
  ) {
    super(`${key}: ${issues.map((i) => `${i.path || '(geheel)'}: ${i.message}`).join('; ')}`);
  }
}

export class SettingVersionNotFoundError extends Error {
  override name = 'SettingVersionNotFoundError';
}

/** A save made from an older version than the one in force: someone else saved meanwhile. */
export class SettingVersionConflictError extends Error {
  override name = 'SettingVersionConflictError';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly current: number,
  ) {
    super(`${key}: saved from version ${expected}, version ${current} is in force`);
  }
}

/** The number of the newest saved version, 0 when none is (the default is in force). */
export async function currentVersion(db: Db | Tx, key: VersionedKey): Promise<number> {
  const [last] = await db
    .select({ version: max(settingVersions.version) })
    .from(settingVersions)
    .where(eq(settingVersions.key, key));
  return last?.version ?? 0;
}

/** Numbers in a path count from 1, as admins count list entries. */
const pathText = (path: readonly PropertyKey[], lang: UiLocale = 'nl') =>
  path.map((part) => (typeof part === 'number' ? `${lang === 'en' ? 'no.' : 'nr.'} ${part + 1}` : String(part))).join(' › ');

/** The value checked by the key's schema (with defaults filled in), or a SettingValidationError. */
export function validateSetting(key: VersionedKey, value: unknown): unknown {
  const parsed = schemaOf(key).safeParse(value, { error: settingErrorMap });
  if (parsed.success) return parsed.data;
  const english = englishMessages(key, parsed.error.issues, value);
  throw new SettingValidationError(
    key,
    parsed.error.issues.map((issue, i) => ({
      path: pathText(issue.path),
      message: issue.message,
      at: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
      en: { path: pathText(issue.path, 'en'), message: english[i]! },
    })),
  );
}

/** The value in force now: the topics table, the settings row, or the fallback. */
export async function currentSetting(db: Db | Tx, key: VersionedKey): Promise<unknown> {
  if (key === 'topics') return readTopicsSetting(db);
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  const parsed = SETTINGS[key].schema.safeParse(row?.value);
  return parsed.success ? parsed.data : SETTINGS[key].fallback;
}

/**
 * Saves a new version of a setting: validated by its schema, numbered one past the last
 * under a per-key lock (two admins never write the same version), mirrored to where the
 * value is read (`settings`, or the `topics` table), and audited with before and after.
 * With `expectedVersion` (the version a form was loaded from) a newer version in force
 * refuses the save with a SettingVersionConflictError and writes nothing.
 */
export async function saveSetting(
  db: Db,
  key: VersionedKey,
  value: unknown,
  author: string,
  comment?: string,
  expectedVersion?: number,
): Promise<{ version: number }> {
  const after = validateSetting(key, value);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`loket.setting:${key}`}))`);
    const last = await currentVersion(tx, key);
    if (expectedVersion !== undefined && expectedVersion !== last) throw new SettingVersionConflictError(key, expectedVersion, last);
    const before = await currentSetting(tx, key);
    const version = last + 1;
    await tx.insert(settingVersions).values({ key, version, value: after, author, comment: comment?.trim() || null });
    if (key === 'topics') await writeTopicsSetting(tx, after as z.infer<typeof topicsSettingSchema>);
    else {
      await tx
        .insert(settings)
        .values({ key, value: after })
        .onConflictDoUpdate({ target: settings.key, set: { value: after, updatedAt: sql`now()` } });
    }
    await tx.insert(audit).values({
      actor: author,
      action: 'setting.saved',
      entity: 'setting',
      entityId: key,
      data: { version, comment: comment ?? null, before, after },
    });
    return { version };
  });
}

/** Writes an older version's value again, as a new version. */
export async function rollback(db: Db, key: VersionedKey, version: number, author: string): Promise<{ version: number }> {
  const [row] = await db
    .select({ value: settingVersions.value })
    .from(settingVersions)
    .where(and(eq(settingVersions.key, key), eq(settingVersions.version, version)));
  if (!row) throw new SettingVersionNotFoundError(`${key} has no version ${version}`);
  return saveSetting(db, key, row.value, author, `terugzetten naar versie ${version}`);
}

export interface SettingVersion {
  version: number;
  author: string;
  comment: string | null;
  createdAt: Date;
  value: unknown;
  /** The version before it, or undefined for the first. */
  previous: unknown;
}

/** The versions of a setting, newest first, each with the value it replaced. */
export async function listVersions(db: Db, key: VersionedKey, limit = 100): Promise<SettingVersion[]> {
  const rows = await db
    .select()
    .from(settingVersions)
    .where(eq(settingVersions.key, key))
    .orderBy(desc(settingVersions.version))
    .limit(limit + 1);
  return rows.slice(0, limit).map((row, i) => ({
    version: row.version,
    author: row.author,
    comment: row.comment,
    createdAt: row.createdAt,
    value: row.value,
    previous: rows[i + 1]?.value,
  }));
}
