import { sql, type SQL } from 'drizzle-orm';
import { amsterdamDate } from '../calendar.js';
import { attachThreadKeysCte, markRoutedCtes, newStatusToken, type NamedCase } from '../case.store.js';
import { runPrepared, type Db, type Tx } from '../db/database.js';
import type { RoutingSettings } from './settings.js';
import type { RoutableMessage } from './read.js';

/**
 * The registration number of a case about to be opened: one reserved at intake, or the
 * next of the year, which the opening statement itself takes.
 */
export type CaseNumber = { reference: string } | { next: { prefix: string; year: number } };

/** Why agents should look at the case this message lands on, if they should. */
export function attentionFor(message: RoutableMessage): string | null {
  if (message.meta['bounceOf']) return 'bounce';
  if (message.meta['refused']) return 'too-large';
  return null;
}

/**
 * Adds the message to the case if it is still open, in one statement; says whether it did.
 * `requireUnrouted` re-checks under the message's row lock that nobody routed it meanwhile
 * (outside a routing transaction); a chat line's conversation is pointed at the case.
 */
export async function joinCase(
  db: Db | Tx,
  message: RoutableMessage,
  target: NamedCase,
  keys: string[],
  options: { conversationId: string | undefined; requireUnrouted: boolean },
): Promise<boolean> {
  const attention = attentionFor(message);
  const touched = sql`touched`;
  const unrouted = options.requireUnrouted ? sql`and exists (select 1 from messages where id = ${message.id} and routed_at is null for update)` : sql``;
  const rows = await runPrepared(
    db,
    sql`
    with touched as (
      update cases set updated_at = now(), attention = coalesce(${attention}::text, attention), waiting_since = null
       where id = ${target.id} and status = 'open' ${unrouted}
      returning id
    ), ${attachThreadKeysCte(touched, keys)},
    ${markRoutedCtes({ id: message.id, topic: target.topic }, touched, { action: 'message.joined', data: { messageId: message.id } })}
    ${options.conversationId ? sql`, ${anchorConversationCte(options.conversationId, touched, 'only-without-case')}` : sql``}
    select id from touched`,
  );
  return rows.length > 0;
}

/**
 * The statement's CTE that points a chat conversation at the case (the lock-free chat path
 * reads it). A line joining a case points only a conversation that has none at it: a line
 * that quotes another case's number joins that case, but the conversation stays where it is.
 */
function anchorConversationCte(conversationId: string, target: SQL, when: 'always' | 'only-without-case'): SQL {
  return sql`anchored as (
    update conversations set case_id = target.id from ${target} as target
     where conversations.id = ${conversationId} and ${when === 'always' ? sql`conversations.case_id is distinct from target.id` : sql`conversations.case_id is null`}
  )`;
}

/** Locks a chat conversation's row until the transaction ends. */
export async function lockConversation(tx: Tx, conversationId: string): Promise<void> {
  await runPrepared(tx, sql`select id from conversations where id = ${conversationId} for update`);
}

/** The number and page token of a new case: those reserved at intake unless a case has them already. */
export function namesForNewCase(settings: RoutingSettings, message: RoutableMessage, named: NamedCase[]): { number: CaseNumber; statusToken: string } {
  const number: CaseNumber =
    message.reference && !named.some((c) => c.reference === message.reference)
      ? { reference: message.reference }
      : { next: { prefix: settings.referencePrefix, year: Number(amsterdamDate(new Date()).slice(0, 4)) } };
  const statusToken = message.statusToken && !named.some((c) => c.statusToken === message.statusToken) ? message.statusToken : newStatusToken();
  return { number, statusToken };
}
