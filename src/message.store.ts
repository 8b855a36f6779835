import { DrizzleQueryError, sql, type SQL } from 'drizzle-orm';
import { NEXT_REFERENCE, nextSerialCte, numberingCtes, numberTaken } from './case.store.js';
import { allRows, runPrepared, type Db, type Tx } from './db/database.js';
import type { InboundMessage } from './message.js';

/** What intake tells the sender: a number (and case page) already known, or a new one. */
/**
 * A known number comes without its page token: whoever quotes a number proves only that they
 * know it, so the case page stays with the contact, who had its link from the acknowledgement.
 */
export type Reservation = { kind: 'none' } | { kind: 'known'; reference: string } | { kind: 'new'; prefix: string; year: number; statusToken: string };

/**
 * Inserts a message, and when it needs a new registration number takes the next one of
 * its year in the same statement: the counter row stays locked for that one round trip
 * only (every form intake waits for it), and a duplicate message fails the statement, so
 * its number is never used up and the numbers stay without gaps.
 * Throws a unique violation for a second message with the same channel + external id.
 */
export async function insertMessage(
  tx: Tx | Db,
  message: InboundMessage,
  extra: { rawSha256?: string; reservation: Reservation },
): Promise<{ id: number; reference: string | null; statusToken: string | null }> {
  const { reservation } = extra;
  const counter = reservation.kind === 'new' ? reservation : { prefix: null, year: null };
  const known = reservation.kind === 'known' ? reservation.reference : null;
  const statusToken = reservation.kind === 'new' ? reservation.statusToken : null;
  const [row] = await runPrepared<{ id: number | string; reference: string | null }>(
    tx,
    sql`
    with ${nextSerialCte(counter)}
    insert into messages (channel, external_id, received_at, locale, sender, subject, text, html, thread, topic_hint, meta,
                          raw_sha256, reference, status_token)
    values (${message.channel}, ${message.externalId}, ${message.receivedAt}, ${message.locale}, ${JSON.stringify(message.sender)}::jsonb,
            ${message.subject}, ${message.text}, ${message.html ?? null}, ${JSON.stringify(message.thread)}::jsonb,
            ${message.topicHint ?? null}, ${JSON.stringify(message.meta)}::jsonb, ${extra.rawSha256 ?? null},
            coalesce(${known}::text, ${NEXT_REFERENCE}),
            ${statusToken}::text)
    returning id, reference`,
  );
  if (!row) throw new Error('message insert returned no row');
  return { id: Number(row.id), reference: row.reference, statusToken };
}

/** A message stored by insertMessages: its row, or `duplicate` when it was stored before. */
export type BatchInsert = { id: number; reference: string | null; statusToken: string | null } | 'duplicate';

/**
 * Inserts many messages without raw source or files in one statement (form messages and
 * chat lines that arrive together). Those needing a new registration number share one
 * counter update, numbered in the order given, so a burst takes the counter row's lock
 * once, not once per message; all of them must then have the same prefix and year.
 * A message whose channel + external id is stored already, or comes earlier in the batch,
 * is not inserted and takes no number (`duplicate`). One stored meanwhile by a concurrent
 * statement fails the whole statement with a unique violation (isDuplicateMessage): the
 * caller then inserts one at a time. Either way no number is used up for nothing.
 */
export async function insertMessages(tx: Tx | Db, items: { message: InboundMessage; reservation: Reservation }[]): Promise<BatchInsert[]> {
  const inserted = await runPrepared<{ ord: number | string; id: number | string; reference: string | null }>(tx, insertMessagesStatement(items));
  const byOrd = new Map(inserted.map((row) => [Number(row.ord) - 1, row]));
  return items.map(({ reservation }, ord): BatchInsert => {
    const row = byOrd.get(ord);
    if (!row) return 'duplicate';
    return { id: Number(row.id), reference: row.reference, statusToken: reservation.kind === 'new' ? reservation.statusToken : null };
  });
}

/** The statement insertMessages runs (a test reads its plan). */
export function insertMessagesStatement(items: { message: InboundMessage; reservation: Reservation }[]): SQL {
  const counters = new Set(items.flatMap(({ reservation: r }) => (r.kind === 'new' ? [`${r.prefix}-${r.year}`] : [])));
  if (counters.size > 1) throw new Error(`one batch takes numbers of one counter, not of ${[...counters].join(', ')}`);
  const counter = items.map(({ reservation }) => reservation).find((r) => r.kind === 'new') ?? { prefix: null, year: null };
  // Column arrays through unnest, not one JSON document: the planner takes unnest for a
  // few rows and probes the unique index; jsonb_to_recordset it takes for 100, and on a
  // table of up to some 20,000 messages it then scans them all (test/batch-plans).
  const column = <T>(pick: (item: (typeof items)[number]) => T) => sql.param(items.map(pick));
  const json = (value: unknown) => JSON.stringify(value);
  return sql`
    with input as (
      select * from unnest(
        ${column(({ message }) => message.channel)}::text[], ${column(({ message }) => message.externalId)}::text[],
        ${column(({ message }) => message.receivedAt.toISOString())}::timestamptz[], ${column(({ message }) => message.locale)}::text[],
        ${column(({ message }) => json(message.sender))}::jsonb[], ${column(({ message }) => message.subject)}::text[],
        ${column(({ message }) => message.text)}::text[], ${column(({ message }) => message.html ?? null)}::text[],
        ${column(({ message }) => json(message.thread))}::jsonb[], ${column(({ message }) => message.topicHint ?? null)}::text[],
        ${column(({ message }) => json(message.meta))}::jsonb[],
        ${column(({ reservation: r }) => (r.kind === 'known' ? r.reference : null))}::text[],
        ${column(({ reservation: r }) => (r.kind === 'new' ? r.statusToken : null))}::text[],
        ${column(({ reservation: r }) => r.kind === 'new')}::boolean[]
      ) with ordinality as i(channel, external_id, received_at, locale, sender, subject, text, html, thread, topic_hint, meta,
                             known, status_token, needs_number, ord)
       ${allRows(items.length)}
    ), fresh as (
      select distinct on (i.channel, i.external_id) i.* from input i
       where not exists (select 1 from messages m where m.channel = i.channel and m.external_id = i.external_id)
       order by i.channel, i.external_id, i.ord
    ), ${numberingCtes(sql`fresh`, sql`s.needs_number`, counter)}, inserted as (
      insert into messages (channel, external_id, received_at, locale, sender, subject, text, html, thread, topic_hint, meta,
                            reference, status_token)
      select n.channel, n.external_id, n.received_at, n.locale, n.sender, n.subject, n.text, n.html, n.thread, n.topic_hint, n.meta,
             coalesce(n.known, case when n.needs_number then ${numberTaken(sql`n`)} end),
             n.status_token
        from numbered n order by n.ord
      returning id, channel, external_id, reference
    )
    select n.ord, i.id, i.reference from inserted i join numbered n on n.channel = i.channel and n.external_id = i.external_id`;
}

/** The unique index on channel + external id refused a message: it was stored before. */
export function isDuplicateMessage(err: unknown): boolean {
  const cause = (err instanceof DrizzleQueryError ? err.cause : err) as { code?: string; constraint?: string } | undefined;
  return cause?.code === '23505' && (cause.constraint ?? 'messages_channel_external_id_key') === 'messages_channel_external_id_key';
}
