import type { RuleSet } from './admin/routing.decision.js';
import { sql } from 'drizzle-orm';
import { casesNamed, lockThreadKeys, type NamedCase } from './case.store.js';
import { isCaseContact } from './contact.js';
import type { Db, Tx } from './db/database.js';
import type { ClaimedOutbox } from './outbox.js';
import { readMessage, readMessages, type MessageReader, type RoutableMessage } from './routing.read.js';
import { openCase, type CaseOpener, type CaseOpening, type OpenedCase } from './case.opening.js';
import { joinCase, lockConversation, namesForNewCase, type ConversationPolicy } from './routing.write.js';
import { quotedReferences, threadKeys, threadLookupKeys } from './thread.js';
import type { Topic } from './topic.store.js';

export interface RoutingContext {
  referencePrefix: string;
  mailDomain: string;
  /** At most this many automatic replies per sender address per 24 hours. */
  autoReplyLimit: number;
  topics: readonly Topic[];
  /** The admin's routing rules, reply templates and office hours (read once per message, before any lock). */
  rules?: () => Promise<RuleSet>;
  /** What `rules` gave for the message being routed; routeMessage fills it in. */
  ruleSet?: RuleSet;
  /**
   * The caller sends the automatic reply itself as soon as routing returns: write it claimed
   * (outcome `claimed`) instead of pending (outcome `outboxIds`), which saves claiming it.
   */
  claimReplies?: boolean;
  /** Reads the message to route together with other routers' (without it, alone). */
  reader?: MessageReader;
  /** Opens cases on the lock-free ways together with other routers' (without it, alone). */
  opener?: CaseOpener;
  /**
   * Decides a chat conversation when its first line opens its case, in the same statement
   * (outcome `decided`, the closing answer among `claimed`). Without it, or on the careful
   * way, the channel decides after routing (RoutedMessage in queues/route.worker.ts).
   */
  conversationPolicy?: ConversationPolicy;
}

export type RouteOutcome =
  | { kind: 'missing' }
  | { kind: 'already-routed'; caseId: number; channel: string }
  | {
      kind: 'routed';
      caseId: number;
      reference: string;
      newCase: boolean;
      topic: string;
      /** Outbox rows written pending, for the deliver queue. */
      outboxIds: number[];
      /** Outbox rows written claimed for this caller to send (with `claimReplies`). */
      claimed: ClaimedOutbox[];
      channel: string;
      storedAt: Date;
      /** The conversation the message belongs to (chat), for what its channel does next. */
      conversationId: string | undefined;
      /** The conversation was decided by routing (conversationPolicy). */
      decided?: OpenedCase['decided'];
    };

/**
 * Threads a stored message into an open case or opens one, classifies it and writes
 * its acknowledgement to the outbox — atomically, so a retry after a crash either
 * finds the work done or does all of it.
 */
export async function routeMessage(db: Db, context: RoutingContext, messageId: number): Promise<RouteOutcome> {
  const message = await (context.reader ? context.reader.read(messageId) : readMessages(db, [messageId]).then(([one]) => one));
  if (!message) return { kind: 'missing' };
  if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };
  if (context.rules && !context.ruleSet) context = { ...context, ruleSet: await context.rules() };

  // Named by nothing but what intake reserved for it (a form's first message), a message
  // nearly always opens its case: do that in one statement, without a transaction or locks.
  // The unique indexes on reference and page token tell when another message got there
  // first, and the statement re-checks under the message's row lock that it is unrouted;
  // either way it writes nothing, and the message is routed the careful way below.
  const reserved = reservedNamesOnly(context, message);
  if (reserved) {
    const opened = await openWithoutLocks(db, context, { message, names: { number: { reference: reserved.reference }, statusToken: reserved.statusToken }, keys: [] });
    if (opened) return { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId: message.thread.conversationId, ...opened, newCase: true };
  }
  const line = await routeChatLine(db, context, message);
  return line ?? db.transaction((tx) => routeLocked(tx, context, messageId));
}

/**
 * A chat line that names nothing but its conversation joins the conversation's open case,
 * or opens the conversation's first case, in one statement without a transaction. The
 * conversation's row is the lock: the statement that opens a case sets its case_id under
 * that lock (and so does the careful way), and an opening statement that finds case_id set
 * by then writes nothing. Whatever does not go as read is left to the careful way.
 */
async function routeChatLine(db: Db, context: RoutingContext, message: RoutableMessage): Promise<RouteOutcome | undefined> {
  const conversationId = message.thread.conversationId;
  if (message.channel !== 'chat' || !conversationId || message.reference || quotedReferences(context.referencePrefix, message).length > 0) return undefined;
  const keys = threadKeys(message.channel, message.thread);
  const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId } as const;
  const current = message.conversationCase;
  if (current) {
    if (current.status !== 'open' || !(await joinCase(db, message, current, keys, { conversationId, requireUnrouted: true }))) return undefined;
    return { ...routed, caseId: current.id, reference: current.reference, newCase: false, topic: current.topic, outboxIds: [], claimed: [] };
  }
  const opened = await openWithoutLocks(db, context, {
    message,
    names: namesForNewCase(context, message, []),
    keys,
    conversation: { id: conversationId, onlyFirst: true, policy: context.conversationPolicy },
  });
  return opened && { ...routed, ...opened, newCase: true };
}

/**
 * The case a message joins, and the numbers it quotes of cases it may not join. A quoted
 * number or a mail thread joins only the case's own contact (a stranger who knows a number
 * gets a case of their own, marked as mentioning it); the number and page reserved for this
 * message, and a chat conversation (the server's own token), join as they are.
 */
function caseToJoin(
  message: RoutableMessage,
  quoted: string[],
  named: NamedCase[],
  threaded: NamedCase | undefined,
): { existing: NamedCase | undefined; mentions: string[] } {
  // A bounce of our own mail belongs on the case of that mail: it gets no reply and changes
  // nobody's address, so it hands its writer nothing.
  const bounce = typeof message.meta['bounceOf'] === 'string';
  const own = (c: NamedCase) =>
    bounce || c.reference === message.reference || c.statusToken === message.statusToken || (!!c.contact && isCaseContact(c.contact, message.sender));
  const quotedCases = quoted.map((reference) => named.find((c) => c.reference === reference)).filter((c): c is NamedCase => !!c);
  const mentions = quotedCases.filter((c) => !own(c)).map((c) => c.reference);
  const byNumber = quotedCases.find((c) => c.status === 'open' && own(c));
  const byThread = threaded && (message.thread.conversationId || own(threaded)) ? threaded : undefined;
  return { existing: byNumber ?? byThread, mentions };
}

/** Records on the case the other people's numbers its message quoted, for an agent to look at. */
async function markMentions(tx: Tx, caseId: number, mentions: string[]): Promise<void> {
  if (mentions.length === 0) return;
  await tx.execute(sql`
    update cases set attention = coalesce(attention, 'mentions-case'),
           mentions = (select jsonb_agg(distinct m) from jsonb_array_elements_text(coalesce(mentions, '[]'::jsonb) || ${JSON.stringify(mentions)}::jsonb) as m)
     where id = ${caseId}`);
}

/** A case opened outside a transaction: with other routers' at once when there is an opener. */
function openWithoutLocks(db: Db, context: RoutingContext, opening: CaseOpening): Promise<OpenedCase | undefined> {
  return context.opener ? context.opener.open(context, opening) : openCase(db, context, opening);
}

/** The number and page token reserved at intake, when the message names no other case or thread. */
function reservedNamesOnly(context: RoutingContext, message: RoutableMessage): { reference: string; statusToken: string } | undefined {
  const { reference, statusToken } = message;
  if (!reference || !statusToken || threadKeys(message.channel, message.thread).length > 0) return undefined;
  const quoted = quotedReferences(context.referencePrefix, message);
  return quoted.every((other) => other === reference) ? { reference, statusToken } : undefined;
}

/**
 * Routes a message under its row lock and the locks of its thread keys and quoted numbers,
 * so two messages of one thread never open two cases.
 */
async function routeLocked(tx: Tx, context: RoutingContext, messageId: number): Promise<RouteOutcome> {
  const message = await readMessage(tx, messageId);
  if (!message) return { kind: 'missing' };
  if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };

  const keys = threadKeys(message.channel, message.thread);
  const lookupKeys = threadLookupKeys(message.channel, message.thread);
  const quoted = quotedReferences(context.referencePrefix, message);
  if (message.reference) quoted.unshift(message.reference);
  // A reference reserved at intake may not have its case yet: whoever routes first opens it.
  await lockThreadKeys(tx, [...new Set([...keys, ...lookupKeys, ...quoted.map((reference) => `ref:${reference}`)])].sort());
  const conversationId = message.thread.conversationId;
  // A chat line's conversation row is the lock of routeChatLine too; taken after the keys, as there.
  if (conversationId) await lockConversation(tx, conversationId);
  const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId } as const;

  // Twice at most: a message routed without locks (above) may open the case a moment
  // before this one would; then its insert conflicts and the second look finds that case.
  for (let look = 1; look <= 2; look += 1) {
    const { named, threaded } = await casesNamed(tx, { references: quoted, statusToken: message.statusToken, threadKeys: lookupKeys });
    const { existing, mentions } = caseToJoin(message, quoted, named, threaded);
    if (existing && (await joinCase(tx, message, existing, keys, { conversationId, requireUnrouted: false }))) {
      await markMentions(tx, existing.id, mentions);
      return { ...routed, caseId: existing.id, reference: existing.reference, newCase: false, topic: existing.topic, outboxIds: [], claimed: [] };
    }
    if (existing) continue; // closed a moment ago: look again
    // A thread the sender may not join is not taken along: its keys keep naming its own case.
    const ownKeys = threaded && !existing ? keys.filter((key) => !key.startsWith('mid:')) : keys;
    const opened = await openCase(tx, context, {
      message,
      names: namesForNewCase(context, message, named),
      keys: ownKeys,
      conversation: conversationId ? { id: conversationId, onlyFirst: false } : undefined,
    });
    if (opened) {
      await markMentions(tx, opened.caseId, mentions);
      return { ...routed, ...opened, newCase: true };
    }
  }
  throw new Error(`message ${message.id}: no case could be opened, its reference or page token stays taken`);
}
