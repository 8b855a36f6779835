import { sql, type SQL } from 'drizzle-orm';
import { runPrepared, type Db } from '../db/database.js';
import type { Sender } from '../message.js';
import { normalizedPhoneSql, normalizePhone } from '../phone-number.js';

/**
 * The workspace's search and a person's history. Every expression here is one an index of
 * migration 0016_search is built on (spelled again in src/db/schema.ts): change them together.
 */
const nameOf = sql`lower((cases.sender->>'name'))`;
const emailOf = sql`lower((cases.sender->>'email'))`;
const replyToOf = sql`lower((cases.sender->>'replyTo'))`;
const employeeOf = sql`upper(regexp_replace((cases.sender->>'employeeNumber'), '\\s', '', 'g'))`;
const phoneOf = normalizedPhoneSql(sql`(cases.sender->>'phone')`);
const messageText = sql`to_tsvector('dutch'::regconfig, left((m.subject || ' ' || m.text), 20000))`;

/** A case as the search and the history show it. */
export interface FoundCase {
  id: number;
  reference: string;
  subject: string;
  senderName: string | undefined;
  channel: string;
  topic: string;
  status: 'open' | 'closed';
  openedAt: Date;
  /** Why it was found: the number, the person, or the words of a message. */
  matched: 'reference' | 'person' | 'name' | 'text';
}

/** Names read at most, nearest first. */
const NAME_HITS = 200;

/** Search results beyond this are not shown: the agent refines the search. */
export const SEARCH_LIMIT = 50;
/**
 * Messages whose words match, read at most through the index. In no order: ordering them (say
 * newest first) tempts the planner to walk every message by id and test each, seconds on a year.
 */
const TEXT_HITS = 400;
/**
 * The newest messages read first, one by one (each parsed again: ~25 µs), and the matches
 * among them read at most. When those name a page of cases, the index is skipped: a word in a
 * quarter of the messages is found there in a few ms, where the index would build a bitmap of
 * every message with it (90 ms for a word in half a year's messages) and hand out the oldest.
 */
const RECENT_MESSAGES = 200;
const RECENT_HITS = 100;

/**
 * A Dutch word as the full-text search looks for it: the stem of what was typed as a prefix,
 * after a plural or diminutive ending is taken off (Snowball's Dutch stemmer leaves
 * "declaraties" and "declaratie" apart; "declaratie" as a prefix finds both).
 */
export function searchTerms(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => word.length >= 2)
    .slice(0, 8)
    .map((word) => withoutEnding(word));
}

/** A word without a plural or diminutive ending, when enough of it stays to search by. */
function withoutEnding(word: string): string {
  if (word.endsWith('ies')) return word.slice(0, -1);
  for (const ending of ['tjes', 'pjes', 'jes', 'en', 's']) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) return word.slice(0, -ending.length);
  }
  return word;
}

/**
 * Cases that match `query`: a registration number exactly, a person by e-mail address,
 * employee number or phone number exactly, a name by similarity (trigrams: "Jansen" finds
 * "Janssen"), or the words of any message (Dutch full-text search). Best matches first,
 * then newest.
 */
export async function searchCases(db: Db, query: string, referencePrefix = 'ZK'): Promise<FoundCase[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  const lower = q.toLowerCase();
  const branches: SQL[] = [];
  const isReference = new RegExp(`^${referencePrefix}-\\d{4}-\\d{1,6}$`, 'i').test(q);
  if (isReference) {
    branches.push(sql`select id, 4 as score, 'reference' as matched from cases where reference = ${q.toUpperCase()}`);
  }
  if (q.includes('@')) {
    branches.push(sql`select id, 3, 'person' from cases where ${emailOf} = ${lower}`);
    branches.push(sql`select id, 3, 'person' from cases where ${replyToOf} = ${lower} and (cases.sender->>'replyTo') is not null`);
  }
  if (/^[0-9+ ()\-./]{6,}$/.test(q)) {
    branches.push(sql`select id, 3, 'person' from cases where ${phoneOf} = ${normalizePhone(q)} and (cases.sender->>'phone') is not null`);
  }
  if (/^[A-Za-z]?\d[\d\s]{2,}$/.test(q)) {
    branches.push(
      sql`select id, 3, 'person' from cases where ${employeeOf} = ${q.replace(/\s/g, '').toUpperCase()} and (cases.sender->>'employeeNumber') is not null`,
    );
  }
  if (/\p{L}/u.test(q) && !q.includes('@')) {
    // The nearest names first, straight from the GiST index (a common surname matches thousands).
    branches.push(sql`(select id, 2 + word_similarity(${lower}, ${nameOf}), 'name' from cases where ${lower} <% ${nameOf}
                        order by ${lower} <<-> ${nameOf} limit ${NAME_HITS})`);
  }
  const terms = searchTerms(q);
  if (terms.length > 0) {
    // Words (a name too) are read in the newest messages first; a number or an address only through the index.
    const words = !isReference && !q.includes('@') && terms.some((term) => /\p{L}/u.test(term));
    branches.push(sql`select case_id, 1, 'text' from (${messagesWith(terms, words)}) hits`);
  }
  if (branches.length === 0) return [];
  const rows = await runPrepared<FoundRow>(
    db,
    sql`
    with hits(id, score, matched) as (${sql.join(branches, sql` union all `)}),
    best as (select distinct on (id) id, score, matched from hits order by id, score desc)
    select c.id, c.reference, c.subject, c.sender, c.channel, c.topic, c.status, c.created_at as opened_at, best.matched
      from best join cases c on c.id = best.id
     order by best.score desc, c.created_at desc, c.id desc
     limit ${SEARCH_LIMIT}`,
  );
  return rows.map(toFound);
}

/**
 * The other cases of the same person as `contact`: the same e-mail address (or Reply-To),
 * employee number or phone number. A name alone is never enough. Newest first.
 */
export async function casesOfPerson(db: Db, caseId: number, contact: Sender, limit = 20): Promise<FoundCase[]> {
  const emails = [contact.email, contact.replyTo].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase());
  const employee = contact.employeeNumber?.replace(/\s/g, '').toUpperCase() || undefined;
  const phone = contact.phone ? normalizePhone(contact.phone) || undefined : undefined;
  const branches: SQL[] = [];
  if (emails.length > 0) {
    branches.push(sql`select id from cases where ${emailOf} = any(${sql.param(emails)}::text[])`);
    branches.push(sql`select id from cases where ${replyToOf} = any(${sql.param(emails)}::text[]) and (cases.sender->>'replyTo') is not null`);
  }
  if (employee) branches.push(sql`select id from cases where ${employeeOf} = ${employee} and (cases.sender->>'employeeNumber') is not null`);
  if (phone) branches.push(sql`select id from cases where ${phoneOf} = ${phone} and (cases.sender->>'phone') is not null`);
  if (branches.length === 0) return [];
  const rows = await runPrepared<FoundRow>(
    db,
    sql`
    select c.id, c.reference, c.subject, c.sender, c.channel, c.topic, c.status, c.created_at as opened_at, 'person' as matched
      from cases c
     where c.id in (${sql.join(branches, sql` union `)}) and c.id <> ${caseId}
     order by c.created_at desc, c.id desc
     limit ${limit}`,
  );
  return rows.map(toFound);
}

/**
 * The cases of messages with all of `terms` (as prefixes). With `newestFirst`, the newest messages
 * are read one by one and the index only when they name too few cases (a rarer word).
 */
function messagesWith(terms: string[], newestFirst: boolean): SQL {
  const tsquery = sql`to_tsquery('dutch'::regconfig, ${terms.map((term) => `'${term}':*`).join(' & ')})`;
  const byIndex = (enough: SQL) => sql`select m.case_id from messages m
     where ${enough} ${messageText} @@ ${tsquery} and m.case_id is not null
     limit ${sql.raw(String(TEXT_HITS))}`;
  if (!newestFirst) return byIndex(sql``);
  return sql`with recent as materialized (
      select m.case_id from (select case_id, subject, text from messages order by id desc limit ${sql.raw(String(RECENT_MESSAGES))}) m
       where ${messageText} @@ ${tsquery} and m.case_id is not null
       limit ${sql.raw(String(RECENT_HITS))})
    select case_id from recent
    union all
    (${byIndex(sql`(select count(distinct case_id) from recent) < ${sql.raw(String(SEARCH_LIMIT))} and`)})`;
}

/** A found case as the statements return it. */
interface FoundRow {
  id: number | string;
  reference: string;
  subject: string;
  sender: Sender;
  channel: string;
  topic: string;
  status: 'open' | 'closed';
  opened_at: Date | string;
  matched: FoundCase['matched'];
}

function toFound(row: FoundRow): FoundCase {
  return {
    id: Number(row.id),
    reference: row.reference,
    subject: row.subject,
    senderName: row.sender.name,
    channel: row.channel,
    topic: row.topic,
    status: row.status,
    openedAt: new Date(row.opened_at),
    matched: row.matched,
  };
}
