/**
 * Log lines carry no personal data from the database: a failed query's parameters, and
 * PostgreSQL's detail and quoted values, stay out; which rule failed on which table stays in.
 * Real: PostgreSQL (a database of its own), through pg and through Drizzle.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  await pool.query(`create table people (id serial primary key, email text not null unique, age integer)`);
  await pool.query(`insert into people (email) values ('jan.jansen@example.org')`);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

function logged(err: unknown): string {
  const lines: string[] = [];
  createLogger('info', { write: (line: string) => void lines.push(line) }).error({ err }, 'it failed');
  return lines.join('\n');
}

it('keeps a unique violation’s constraint and table, never the address it was about (pg)', async () => {
  const err = await pool.query(`insert into people (email) values ('jan.jansen@example.org')`).catch((e: unknown) => e);
  expect((err as { detail?: string }).detail, 'PostgreSQL names the value').toContain('jan.jansen@example.org');
  const line = logged(err);
  expect(line).not.toContain('jan.jansen');
  expect(JSON.parse(line).err).toMatchObject({ code: '23505', constraint: 'people_email_key', table: 'people' });
});

it('keeps no quoted input of a type error, and no parameters of a Drizzle query, nor its cause’s', async () => {
  const typeError = await pool.query(`select $1::integer`, ['geheim-1234']).catch((e: unknown) => e);
  expect(String((typeError as Error).message)).toContain('geheim-1234');
  expect(logged(typeError)).not.toContain('geheim-1234');

  const db = drizzle(pool);
  const failed = await db.execute(sql`insert into people (email, age) values (${'piet.pietersen@example.org'}, ${'zeventig'})`).catch((e: unknown) => e);
  const line = logged(failed);
  expect(line).not.toContain('piet.pietersen');
  expect(line).not.toContain('zeventig');
  expect(JSON.parse(line).err).toMatchObject({ cause: { code: '22P02' } });
});
