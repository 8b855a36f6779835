import { DrizzleQueryError, sql } from 'drizzle-orm';
import { NEXT_REFERENCE, nextSerialCte } from './case.store.js';
import { runPrepared, type Db, type Tx } from './db/database.js';
import type { InboundMessage } from './message.js';

/** What intake tells the sender: a number (and case page) already known, or a new one. */
export type Reservation =
  | { kind: 'none' }
  | { kind: 'known'; reference: string; statusToken: string }
  | { kind: 'new'; prefix: string; year: number; statusToken: string };

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
  const statusToken = reservation.kind === 'none' ? null : reservation.statusToken;
  const [row] = await runPrepared<{ id: number | string; reference: string | null }>(tx, sql`
    with ${nextSerialCte(counter)}
    insert into messages (channel, external_id, received_at, locale, sender, subject, text, html, thread, topic_hint, meta,
                          raw_sha256, reference, status_token)
    values (${message.channel}, ${message.externalId}, ${message.receivedAt}, ${message.locale}, ${JSON.stringify(message.sender)}::jsonb,
            ${message.subject}, ${message.text}, ${message.html ?? null}, ${JSON.stringify(message.thread)}::jsonb,
            ${message.topicHint ?? null}, ${JSON.stringify(message.meta)}::jsonb, ${extra.rawSha256 ?? null},
            coalesce(${known}::text, ${NEXT_REFERENCE}),
            ${statusToken}::text)
    returning id, reference`);
  if (!row) throw new Error('message insert returned no row');
  return { id: Number(row.id), reference: row.reference, statusToken };
}

/** The unique index on channel + external id refused a message: it was stored before. */
export function isDuplicateMessage(err: unknown): boolean {
  const cause = (err instanceof DrizzleQueryError ? err.cause : err) as { code?: string; constraint?: string } | undefined;
  return cause?.code === '23505' && (cause.constraint ?? 'messages_channel_external_id_key') === 'messages_channel_external_id_key';
}
