import { randomBytes } from 'node:crypto';
import { is, SQL, sql } from 'drizzle-orm';
import { runPrepared, type Db, type Tx } from './db/database.js';
import { cases } from './db/schema.js';
import type { Sender } from './message.js';

export type CaseRow = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;

/** An unguessable token for a case page URL. */
export const newStatusToken = () => randomBytes(24).toString('base64url');

/**
 * The quoted registration numbers that name an open case, or one already told to a sender
 * whose message is not routed yet (its case is about to be opened, and a follow-up belongs
 * there) — in the order given, each with its contact. One statement, so one snapshot: a case
 * opened in the meantime is seen either as the case or as the reservation, never missed.
 */
export async function findQuotedCases(tx: Tx | Db, references: string[]): Promise<{ reference: string; statusToken: string; contact: Sender }[]> {
  if (references.length === 0) return [];
  const rows = await runPrepared<{ reference: string; status_token: string; contact: Sender }>(
    tx,
    sql`
    select quoted.reference, coalesce(c.status_token, reserved.status_token) as status_token, coalesce(c.sender, reserved.sender) as contact
      from unnest(${sql.param(references)}::text[]) with ordinality as quoted(reference, n)
      left join cases c on c.reference = quoted.reference
      left join lateral (
        select m.status_token, m.sender from messages m
         where c.id is null and m.reference = quoted.reference and m.status_token is not null
         limit 1
      ) reserved on true
     where (c.id is not null and c.status = 'open') or reserved.status_token is not null
     order by quoted.n`,
  );
  return rows.map((row) => ({ reference: row.reference, statusToken: row.status_token, contact: row.contact }));
}

/** The case page token reserved at intake with a number whose case is not open yet. */
export async function reservedStatusToken(tx: Tx | Db, reference: string): Promise<string | null> {
  const [row] = await runPrepared<{ status_token: string }>(
    tx,
    sql`select m.status_token from messages m
         where m.reference = ${reference} and m.status_token is not null
           and not exists (select 1 from cases c where c.reference = ${reference})
         order by m.id limit 1`,
  );
  return row?.status_token ?? null;
}

/**
 * Serializes every transaction that touches one of these keys until it ends, so two
 * messages of one thread never open two cases. Pass the keys sorted: no deadlock.
 */
export async function lockThreadKeys(tx: Tx, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  // unnest yields the keys in array order, so they are locked in the order given.
  await runPrepared(tx, sql`select pg_advisory_xact_lock(hashtextextended(key, 0)) from unnest(${sql.param(keys)}::text[]) as key`);
}

/** What routing needs to know of a case that a message names or threads into. */
export interface NamedCase {
  id: number;
  reference: string;
  status: 'open' | 'closed';
  statusToken: string;
  topic: string;
  /** The case's contact (cases.sender), where the reader needs it to decide who may join. */
  contact?: Sender;
}

/**
 * In one round trip: the cases, open or closed, that carry one of these registration
 * numbers or this case page token, and the newest open case of one of these thread keys.
 */
export async function casesNamed(
  tx: Tx | Db,
  names: { references: string[]; statusToken: string | null; threadKeys: string[] },
): Promise<{ named: NamedCase[]; threaded: NamedCase | undefined }> {
  const { references, statusToken, threadKeys: keys } = names;
  if (references.length === 0 && !statusToken && keys.length === 0) return { named: [], threaded: undefined };
  const found = await runPrepared<{
    id: number | string;
    reference: string;
    status: 'open' | 'closed';
    status_token: string;
    topic: string;
    sender: Sender;
    threaded: boolean;
  }>(
    tx,
    sql`
    select id, reference, status, status_token, topic, sender, false as threaded from cases
     where reference = any(${sql.param(references)}::text[]) or status_token = ${statusToken}::text
    union all
    (select c.id, c.reference, c.status, c.status_token, c.topic, c.sender, true from thread_keys k join cases c on c.id = k.case_id
      where k.key = any(${sql.param(keys)}::text[]) and c.status = 'open'
      order by c.id desc limit 1)`,
  );
  const rows = found.map((row) => ({
    threaded: row.threaded,
    found: { id: Number(row.id), reference: row.reference, status: row.status, statusToken: row.status_token, topic: row.topic, contact: row.sender },
  }));
  return { named: rows.filter((r) => !r.threaded).map((r) => r.found), threaded: rows.find((r) => r.threaded)?.found };
}

/**
 * The statement's CTE `counter`: the next serial of the year, taken when `next` names one.
 * The counter row stays locked until the statement's transaction ends. NEXT_REFERENCE is
 * the number it makes.
 */
export function nextSerialCte(next: { prefix: string | null; year: number | null }): SQL {
  return sql`counter as (
      insert into reference_counters (prefix, year, last)
      select ${next.prefix}::text, ${next.year}::integer, 1 where ${next.prefix}::text is not null
      on conflict (prefix, year) do update set last = reference_counters.last + 1
      returning prefix, year, last
    )`;
}

/** formatReference (reference.ts) in SQL: the serial padded to at least six digits. */
export const referenceSql = (prefix: SQL, year: SQL, serial: SQL): SQL =>
  sql`${prefix} || '-' || ${year} || '-' || lpad((${serial})::text, greatest(6, length((${serial})::text)), '0')`;

/**
 * The statement's CTEs that number the rows of `source` (with an `ord` column, the rows'
 * order) where `needsNumber` holds, a condition on the row alias `s`: `numbered` (source's
 * rows with their nth and the count of numbers) and `counter`, which takes all the numbers
 * from the year's counter in one update, so the counter row stays locked from there to the
 * commit only, once for all the rows, and no number is taken for a row the statement left
 * out before. numberTaken gives a row its number.
 */
export function numberingCtes(source: SQL, needsNumber: SQL, counter: { prefix: string | null; year: number | null }): SQL {
  return sql`numbered as (
      select s.*, count(*) filter (where ${needsNumber}) over (order by s.ord) as nth,
             count(*) filter (where ${needsNumber}) over () as numbers
        from ${source} s
    ), counter as (
      insert into reference_counters (prefix, year, last)
      select ${counter.prefix}::text, ${counter.year}::integer, count(*) from numbered s where ${needsNumber} having count(*) > 0
      on conflict (prefix, year) do update set last = reference_counters.last + excluded.last
      returning prefix, year, last
    )`;
}

/** The registration number numberingCtes took for the `numbered` row under this alias. */
export const numberTaken = (row: SQL): SQL =>
  sql`(select ${referenceSql(sql`c.prefix`, sql`c.year`, sql`c.last - ${row}.numbers + ${row}.nth`)} from counter c)`;

/** The registration number nextSerialCte took. */
export const NEXT_REFERENCE = sql`(select ${referenceSql(sql`prefix`, sql`year`, sql`last`)} from counter)`;

/*
 * The CTE builders below write about "the case": an earlier CTE of the same statement
 * that yields the case's id as one row, or none — when it yields none, they write nothing.
 */

/** The statement's CTE that points thread keys at the case; a key that named an older (closed) case moves along. */
export function attachThreadKeysCte(target: SQL, keys: string[]): SQL {
  return sql`attached_keys as (
    insert into thread_keys (key, case_id) select key, target.id from ${target} as target, unnest(${sql.param(keys)}::text[]) as key
    on conflict (key) do update set case_id = excluded.case_id
  )`;
}

/** The statement's CTEs that mark a message routed into the case and record why. */
export function markRoutedCtes(message: { id: number; topic: string }, target: SQL, entry: { action: string; data: Record<string, unknown> | SQL }): SQL {
  const data = is(entry.data, SQL) ? entry.data : sql`${JSON.stringify(entry.data)}::jsonb`;
  return sql`routed as (
    update messages set case_id = target.id, topic = ${message.topic}, routed_at = now() from ${target} as target
     where messages.id = ${message.id}
  ), audited as (
    insert into audit (actor, action, entity, entity_id, data)
    select 'router', ${entry.action}, 'case', target.id::text, ${data} from ${target} as target
  )`;
}

/**
 * Closes an open case that needs nobody (a chat redirected to the other channels, a call
 * settled on the phone), with an audit row by Loket, when `guard` (an SQL condition over
 * `cases`) holds. Idempotent: a closed case stays as it is, so a routing job run again
 * closes nothing twice.
 */
export async function closeCaseAutomatically(db: Db, caseId: number, reason: string, guard: SQL): Promise<boolean> {
  const rows = await runPrepared<{ reference: string }>(
    db,
    sql`
    with closed as (
      update cases set status = 'closed', closed_at = now(), updated_at = now()
       where cases.id = ${caseId} and cases.status = 'open' and ${guard}
      returning cases.reference
    ), audited as (
      insert into audit (actor, action, entity, entity_id, data)
      select 'Loket', 'case.close', 'case', reference, jsonb_build_object('reason', ${reason}::text) from closed
    )
    select reference from closed`,
  );
  return rows.length > 0;
}
