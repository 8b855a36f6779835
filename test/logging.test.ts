/**
 * Log lines carry no personal data from the database: a failed query's parameters, and
 * PostgreSQL's detail and quoted values, stay out; which rule failed on which table stays in.
 * Real: PostgreSQL (a database of its own), through pg and through Drizzle; Redis through ioredis.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { REDIS_URL, uniquePrefix } from './support/prefixes.js';

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

it('blanks a quoted value that holds quotes itself, keeping the names of its own table and constraint', async () => {
  const typeError = await pool.query(`select $1::integer`, ['jan"de.vries@example.org']).catch((e: unknown) => e);
  expect(String((typeError as Error).message)).toContain('de.vries@example.org');
  const line = logged(typeError);
  expect(line).not.toContain('de.vries');
  expect(JSON.parse(line).err).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "…"' });

  const check = await pool
    .query(`alter table people add constraint adult check (age >= 18)`)
    .then(() => pool.query(`insert into people (email, age) values ('kees@example.org', 12)`).catch((e: unknown) => e));
  expect(JSON.parse(logged(check)).err).toMatchObject({ message: 'new row for relation "people" violates check constraint "adult"', constraint: 'adult' });
});

it('keeps no detail of database errors gathered in an AggregateError', async () => {
  const duplicate = await pool.query(`insert into people (email) values ('jan.jansen@example.org')`).catch((e: unknown) => e);
  const line = logged(new AggregateError([duplicate], 'several inserts failed'));
  expect(line).not.toContain('jan.jansen');
  expect(JSON.parse(line).err).toMatchObject({ aggregateErrors: [{ code: '23505', constraint: 'people_email_key' }] });
});

it('keeps the name of a Redis command that failed, never its arguments', async () => {
  const redis = new Redis(REDIS_URL);
  const key = `${uniquePrefix()}:visitor`;
  try {
    await redis.set(key, 'een tekst');
    // A list push onto a string: Redis refuses it (WRONGTYPE), ioredis puts the command's arguments on the error.
    const wrongType = await redis.lpush(key, 'marie.peeters@example.org').catch((e: unknown) => e);
    expect(JSON.stringify((wrongType as { command?: unknown }).command)).toContain('marie.peeters');
    const line = logged(wrongType);
    expect(line).not.toContain('marie.peeters');
    expect(JSON.parse(line).err).toMatchObject({ command: { name: 'lpush' } });
  } finally {
    await redis.del(key);
    redis.disconnect();
  }
});
