import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server of this machine (trust auth); tests make their own databases on it. */
export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs SQL on the test database and returns its rows. */
  query<T extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** The environment variable naming the run's migrated template database (test/global-setup.ts). */
export const TEMPLATE_ENV = 'LOKET_TEST_TEMPLATE_DB';

/**
 * A fresh database of its own on the real PostgreSQL (`loket_test_*` unless named otherwise):
 * a copy of the run's template, which global setup migrated once from empty, so each test file
 * starts with Loket's schema instead of running every migration again; empty with `empty: true`
 * or outside a test run (benchmarks).
 */
export async function createTestDatabase(options: { namePrefix?: string; adminUrl?: string; empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? POSTGRES_ADMIN_URL;
  const name = `${options.namePrefix ?? 'loket_test'}_${randomBytes(6).toString('hex')}`;
  const template = options.empty || options.adminUrl ? undefined : process.env[TEMPLATE_ENV];
  const asAdmin = async (sql: string) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await asAdmin(`create database ${name}${template ? ` template ${template}` : ''}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // drop() terminates every connection to the database, idle ones of this pool too.
  pool.on('error', () => undefined);
  // A new database has an installation id of its own (migration 0010); a copy would share the template's.
  if (template) await pool.query(`update installation set id = substr(md5(random()::text || clock_timestamp()::text), 1, 12)`);
  return {
    url: url.toString(),
    name,
    query: async (text, values) => (await pool.query(text, values)).rows,
    drop: async () => {
      await pool.end();
      await asAdmin(`drop database if exists ${name} with (force)`);
    },
  };
}
