import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { acknowledgement, tooLargeNotice } from './acknowledgement.js';
import { decideRouting, templatedReply } from './admin/routing.decision.js';
import { addWorkingDays, amsterdamDate, type PlainDate } from './calendar.js';
import { attachThreadKeysCte, markRoutedCtes, newStatusToken, NEXT_REFERENCE, nextSerialCte, type NamedCase } from './case.store.js';
import { runPrepared, type Db, type Tx } from './db/database.js';
import type { Locale } from './message.js';
import { automaticReplyCtes, CLAIMED_COLUMNS, claimedOutbox, type AutomaticReply, type ClaimedColumns, type ClaimedOutbox } from './outbox.js';
import type { RoutingContext } from './routing.js';
import type { RoutableMessage } from './routing.read.js';

/** Working days within which a question is answered (the service's published promise). */
export const ANSWER_WITHIN_WORKING_DAYS = 5;

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
  const rows = await runPrepared(db, sql`
    with touched as (
      update cases set updated_at = now(), attention = coalesce(${attention}::text, attention)
       where id = ${target.id} and status = 'open' ${unrouted}
      returning id
    ), ${attachThreadKeysCte(touched, keys)},
    ${markRoutedCtes({ id: message.id, topic: target.topic }, touched, { action: 'message.joined', data: { messageId: message.id } })}
    ${options.conversationId ? sql`, ${anchorConversationCte(options.conversationId, touched, 'only-without-case')}` : sql``}
    select id from touched`);
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

/**
 * What a conversation's first routed line decides about it (the chat policy): it waits for
 * an agent, or closes with an automatic answer. The statement that opens the line's case
 * writes it, so a chat line costs one statement less.
 */
export interface ConversationDecision {
  state: 'waiting' | 'closed';
  closedReason: string | null;
  /** The answer that closes the conversation, written claimed (outbox kind and text per locale). */
  reply?: { kind: string; body: Record<Locale, string> };
}

/** The decision for a case of this topic (built once per routing job from the admin's settings). */
export type ConversationPolicy = (topic: string) => ConversationDecision;

/** Locks a chat conversation's row until the transaction ends. */
export async function lockConversation(tx: Tx, conversationId: string): Promise<void> {
  await runPrepared(tx, sql`select id from conversations where id = ${conversationId} for update`);
}

/**
 * The registration number of a case about to be opened: one reserved at intake, or the
 * next of the year, which the opening statement itself takes (see openCase).
 */
type CaseNumber = { reference: string } | { next: { prefix: string; year: number } };

/** The number and page token of a new case: those reserved at intake unless a case has them already. */
export function namesForNewCase(context: RoutingContext, message: RoutableMessage, named: NamedCase[]): { number: CaseNumber; statusToken: string } {
  const number: CaseNumber =
    message.reference && !named.some((c) => c.reference === message.reference)
      ? { reference: message.reference }
      : { next: { prefix: context.referencePrefix, year: Number(amsterdamDate(new Date()).slice(0, 4)) } };
  const statusToken =
    message.statusToken && !named.some((c) => c.statusToken === message.statusToken) ? message.statusToken : newStatusToken();
  return { number, statusToken };
}

/**
 * Opens a case for the message under these names and writes its acknowledgement, in one
 * statement; nothing at all when a case has the number or the page token already, or when
 * the message was routed in the meantime (checked under its row lock).
 *
 * A new number is taken from the year's counter inside this statement, so the counter row
 * stays locked from here to the commit only, not across the routing transaction's other
 * round trips: every case opening waits for that lock. The texts that quote the number are
 * written with a placeholder that the statement replaces with it.
 */
export async function openCase(
  tx: Db | Tx,
  context: RoutingContext,
  message: RoutableMessage,
  names: { number: CaseNumber; statusToken: string },
  keys: string[],
  /**
   * A chat line's conversation: pointed at the new case; with onlyFirst, only if it has none
   * yet (else nothing is written); with a policy, decided too while it is still new.
   */
  conversation?: { id: string; onlyFirst: boolean; policy?: ConversationPolicy },
): Promise<OpenedCase | undefined> {
  const { number, statusToken: token } = names;
  const known = 'reference' in number ? number.reference : null;
  const counter = 'next' in number ? number.next : { prefix: null, year: null };
  const placeholder = known ?? `{loket-reference-${randomBytes(12).toString('hex')}}`;
  const facts = { ...message, from: message.sender.email };
  const { topic, team, priority, replyTemplate } = decideRouting(facts, context.topics, context.ruleSet);
  const answerBy = addWorkingDays(message.receivedAt, ANSWER_WITHIN_WORKING_DAYS);
  const opened = sql`opened`;
  const templated = templatedReply(context.ruleSet, replyTemplate, { locale: message.locale, reference: placeholder, answerBy, name: message.sender.name });
  const reply = message.meta['suppressAutoReply'] === true ? undefined : automaticReply(message, placeholder, answerBy, templated);
  // Only a number the statement takes is a placeholder in the texts.
  const numbered = known === null ? { placeholder, reference: sql`(select reference from opened)` } : undefined;

  const claim = context.claimReplies === true;
  const decision = conversation?.policy?.(topic);
  const conversationCtes = conversation
    ? decision
      ? decideConversationCtes(conversation.id, message.id, opened, decision)
      : anchorConversationCte(conversation.id, opened, 'always')
    : undefined;
  const [row] = await runPrepared<{
    id: number | string;
    reference: string;
    reply: ClaimedColumns | null;
    decided: boolean | null;
    conversation_reply: ClaimedColumns | null;
  }>(tx, sql`
    with unrouted as (
      select id from messages where id = ${message.id} and routed_at is null for update
    ), ready as (
      select id from unrouted${
        conversation?.onlyFirst
          ? sql` where exists (select 1 from conversations where id = ${conversation.id} and case_id is null for update)`
          : sql``
      }
    ), ${nextSerialCte(counter, sql`ready`)}, opened as (
      insert into cases (reference, channel, topic, team, priority, attention, subject, sender, locale, status_token, answer_by)
      select coalesce(${known}::text, ${NEXT_REFERENCE}),
             ${message.channel}, ${topic}, ${team}, ${priority}, ${attentionFor(message)}, ${message.subject},
             ${JSON.stringify(message.sender)}::jsonb, ${message.locale}, ${token}, ${answerBy}::date
        from ready
      on conflict do nothing
      returning id, reference
    ), ${attachThreadKeysCte(opened, keys)},${conversationCtes ? sql` ${conversationCtes},` : sql``}
    ${markRoutedCtes({ id: message.id, topic }, opened, {
      action: 'case.opened',
      data: sql`jsonb_build_object('messageId', ${message.id}::bigint, 'reference', (select reference from opened), 'topic', ${topic}::text)`,
    })}${reply ? sql`, ${automaticReplyCtes(reply, opened, { limit: context.autoReplyLimit, mailDomain: context.mailDomain, claim, numbered })}` : sql``}
    select id, reference, ${reply ? sql`(select row_to_json(reply) from reply)` : sql`null`} as reply,
           ${decision ? sql`exists (select 1 from decided)` : sql`null`} as decided,
           ${decision?.reply ? sql`(select row_to_json(conversation_reply) from conversation_reply)` : sql`null`} as conversation_reply
      from opened`);
  if (!row) return undefined;
  const { reference } = row;
  const owner = { reference, statusToken: token };
  const done: OpenedCase = { caseId: Number(row.id), reference, topic, outboxIds: [], claimed: [] };
  if (decision && row.decided) {
    done.decided = { state: decision.state };
    // Written claimed whatever claimReplies says: the caller sends it or gives it to the deliver queue.
    if (row.conversation_reply) done.claimed.push(claimedOutbox(row.conversation_reply, owner, null));
  }
  if (!row.reply) return done;
  const answer = claimedOutbox(row.reply, owner, message.thread);
  if (claim) done.claimed.unshift(answer);
  else done.outboxIds.push(answer.row.id);
  return done;
}

/** A case openCase opened, with what it wrote to send. */
export interface OpenedCase {
  caseId: number;
  reference: string;
  topic: string;
  /** Outbox rows written pending, for the deliver queue. */
  outboxIds: number[];
  /** Outbox rows written claimed, for the caller to send now. */
  claimed: ClaimedOutbox[];
  /** The chat line's conversation was decided by this statement (see ConversationDecision). */
  decided?: { state: ConversationDecision['state'] };
}

/**
 * The statement's CTEs that point the conversation at the case and, while it is new,
 * decide it (`decided`: its row, when it did) and write the answer that closes it
 * (`conversation_reply`), claimed. One update of the row either way: a statement may not
 * change a row twice.
 */
function decideConversationCtes(conversationId: string, messageId: number, target: SQL, decision: ConversationDecision): SQL {
  const waiting = decision.state === 'waiting';
  const reply = decision.reply;
  return sql`decided as (
    update conversations set case_id = target.id, state = ${decision.state}, closed_reason = ${decision.closedReason}::text,
           closed_at = ${waiting ? sql`null` : sql`now()`}, waiting_since = ${waiting ? sql`now()` : sql`null`}
      from ${target} as target
     where conversations.id = ${conversationId} and conversations.state = 'new'
    returning conversations.id, conversations.locale, conversations.visitor
  ), anchored as (
    update conversations set case_id = target.id from ${target} as target
     where conversations.id = ${conversationId} and conversations.state <> 'new' and conversations.case_id is distinct from target.id
  )${
    reply
      ? sql`, conversation_reply as (
    insert into outbox (case_id, message_id, channel, kind, locale, recipient, subject, body, meta, status, attempts, claimed_at)
    select target.id, ${messageId}, 'chat', ${reply.kind}, decided.locale, decided.visitor, '',
           case when decided.locale = 'en' then ${reply.body.en} else ${reply.body.nl} end,
           jsonb_build_object('conversationId', decided.id, 'closes', ${decision.closedReason}::text), 'sending', 1, now()
      from decided, ${target} as target
    on conflict do nothing
    returning ${CLAIMED_COLUMNS}
  )`
      : sql``
  }`;
}

/** Why agents should look at the case this message lands on, if they should. */
function attentionFor(message: RoutableMessage): string | null {
  if (message.meta['bounceOf']) return 'bounce';
  if (message.meta['refused']) return 'too-large';
  return null;
}

/** The acknowledgement of a new case (or a rule's template instead), or the notice that the mail was too large to take in. */
function automaticReply(message: RoutableMessage, reference: string, answerBy: PlainDate, templated?: { subject: string; body: string }): AutomaticReply {
  const input = {
    locale: message.locale,
    channel: message.channel,
    name: message.sender.name,
    reference,
    answerBy,
    subject: message.subject,
  };
  const refused = message.meta['refused'] !== undefined;
  const text = refused ? tooLargeNotice(input) : (templated ?? acknowledgement(input));
  return {
    messageId: message.id,
    channel: message.channel,
    kind: refused ? 'refused-too-large' : 'acknowledgement',
    locale: message.locale,
    recipient: message.sender,
    subject: text.subject,
    body: text.body,
  };
}
