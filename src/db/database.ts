import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; the same query surface as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The rows of a raw statement (`execute(sql`...`)`), on node-postgres and PGlite alike.
 * Raw rows are not mapped: bigint arrives as a string, timestamps as PostgreSQL's text.
 */
export function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

const dialect = new PgDialect();
/** Statement text → its prepared statement's name; a handful of hot statements, bounded all the same. */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 64;

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined || statementNames.size >= MAX_PREPARED) return known;
  const name = `loket_${statementNames.size + 1}`;
  statementNames.set(text, name);
  return name;
}

/**
 * Runs a raw statement of the hot path as a named prepared statement and returns its rows
 * (unmapped, as rowsOf). PostgreSQL then parses and plans it once per connection instead of
 * on every call: bench:pipeline measured ~0.2 ms of server CPU saved per statement. The name
 * follows from the text, so one name never stands for two statements. PGlite ignores names.
 */
export async function runPrepared<Row>(db: Db | Tx, statement: SQL): Promise<Row[]> {
  const query = dialect.sqlToQuery(statement);
  return rowsOf<Row>(await db._.session.prepareQuery(query, undefined, statementName(query.sql), false).execute());
}

/**
 * `limit <n>` for a batch's rows of unnest, n being all of them: it changes no result, but a
 * parameter as the limit makes PostgreSQL guess one row where it cannot know the arrays'
 * length. Without it, the generic plan of a named statement guesses ten rows for unnest,
 * costs more than the custom plans of the real two or three, and PostgreSQL plans every
 * call anew (1.4 ms of its CPU each for the case opening in bench:chat). With it the generic
 * plan wins after five calls and is kept: nested loops over index look-ups, right for any
 * batch (test/batch-plans checks the generic plans).
 */
export const allRows = (n: number): SQL => sql`limit ${n}::integer`;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url)).replace(/dist[\\/]drizzle$/, 'drizzle');
/** Every process migrates under this lock, so web and worker may start together. */
const MIGRATION_LOCK = 7_262_001;

/** Connects to PostgreSQL (DATABASE_URL) or the embedded PGlite under DATA_DIR, and migrates. */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** An idle pooled connection broke (server restart, admin kill); the pool replaces it. */
  onIdleError?: (err: Error) => void;
}): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 20, options.onIdleError ?? (() => undefined))
    : openPglite(path.resolve(options.dataDir, 'pglite'));
}

async function openPostgres(url: string, poolSize: number, onIdleError: (err: Error) => void): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');

  const migrationClient = new pg.Client({ connectionString: url });
  await migrationClient.connect();
  try {
    await migrationClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(migrationClient), { migrationsFolder: MIGRATIONS });
  } finally {
    await migrationClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await migrationClient.end();
  }

  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Without a listener an idle connection's error would end the process.
  pool.on('error', onIdleError);
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');

  await mkdir(dir, { recursive: true });
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  // pg_trgm: the workspace's search finds names by similarity (src/workspace/search.ts).
  const client = await PGlite.create(dir, { extensions: { pg_trgm } });
  const pgliteDb = drizzle(client, { schema });
  await migrate(pgliteDb, { migrationsFolder: MIGRATIONS });
  const db = pgliteDb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
