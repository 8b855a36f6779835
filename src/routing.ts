import { sql } from 'drizzle-orm';
import { acknowledgement, tooLargeNotice } from './acknowledgement.js';
import { addWorkingDays, amsterdamDate, type PlainDate } from './calendar.js';
import {
  allocateReference,
  attachThreadKeysCte,
  casesNamed,
  lockThreadKeys,
  markRoutedCtes,
  newStatusToken,
  type NamedCase,
} from './case.store.js';
import { decideRouting, templatedReply, type RuleSet } from './admin/routing.decision.js';
import { runPrepared, type Db, type Tx } from './db/database.js';
import type { ChannelName, Locale, Sender, ThreadHints } from './message.js';
import { automaticReplyCtes, type AutomaticReply } from './outbox.js';
import { quotedReferences, threadKeys } from './thread.js';
import type { Topic } from './topic.store.js';

/** Working days within which a question is answered (the service's published promise). */
export const ANSWER_WITHIN_WORKING_DAYS = 5;

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
      outboxIds: number[];
      channel: string;
      storedAt: Date;
      /** The conversation the message belongs to (chat), for what its channel does next. */
      conversationId: string | undefined;
    };

/** The columns of a message that routing reads. */
interface RoutableMessage {
  id: number;
  channel: ChannelName;
  locale: Locale;
  sender: Sender;
  subject: string;
  text: string;
  thread: ThreadHints;
  topicHint: string | null;
  meta: Record<string, unknown>;
  reference: string | null;
  statusToken: string | null;
  caseId: number | null;
  routed: boolean;
  hasAttachment: boolean;
  receivedAt: Date;
  createdAt: Date;
}

/**
 * Threads a stored message into an open case or opens one, classifies it and writes
 * its acknowledgement to the outbox — atomically, so a retry after a crash either
 * finds the work done or does all of it.
 */
export async function routeMessage(db: Db, context: RoutingContext, messageId: number): Promise<RouteOutcome> {
  const message = await readMessage(db, messageId, 'read');
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
    const opened = await openCase(db, context, message, reserved, []);
    if (opened) return { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId: message.thread.conversationId, ...opened, newCase: true };
  }
  return db.transaction((tx) => routeLocked(tx, context, messageId));
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
  const message = await readMessage(tx, messageId, 'lock');
  if (!message) return { kind: 'missing' };
  if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };

  const keys = threadKeys(message.channel, message.thread);
  const quoted = quotedReferences(context.referencePrefix, message);
  if (message.reference) quoted.unshift(message.reference);
  // A reference reserved at intake may not have its case yet: whoever routes first opens it.
  await lockThreadKeys(tx, [...keys, ...quoted.map((reference) => `ref:${reference}`)].sort());
  const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt, conversationId: message.thread.conversationId } as const;

  // Twice at most: a message routed without locks (above) may open the case a moment
  // before this one would; then its insert conflicts and the second look finds that case.
  for (let look = 1; look <= 2; look += 1) {
    const { named, threaded } = await casesNamed(tx, { references: quoted, statusToken: message.statusToken, threadKeys: keys });
    const existing =
      quoted.map((reference) => named.find((c) => c.reference === reference && c.status === 'open')).find(Boolean) ?? threaded;
    if (existing) {
      await joinCase(tx, message, existing, keys);
      return { ...routed, caseId: existing.id, reference: existing.reference, newCase: false, topic: existing.topic, outboxIds: [] };
    }
    const opened = await openCase(tx, context, message, await namesForNewCase(tx, context, message, named), keys);
    if (opened) return { ...routed, ...opened, newCase: true };
  }
  throw new Error(`message ${message.id}: no case could be opened, its reference or page token stays taken`);
}

/** The message; with 'lock', locked until the transaction ends so two routers never route it at once. */
async function readMessage(db: Db | Tx, messageId: number, mode: 'read' | 'lock'): Promise<RoutableMessage | undefined> {
  const [row] = await runPrepared<Record<string, unknown>>(db, sql`
    select id, channel, locale, sender, subject, text, thread, topic_hint, meta, reference, status_token, case_id,
           routed_at is not null as routed, received_at, created_at,
           exists (select 1 from attachments a where a.message_id = messages.id) as has_attachment
      from messages where id = ${messageId}${mode === 'lock' ? sql` for update` : sql``}`);
  if (!row) return undefined;
  return {
    ...(row as Omit<RoutableMessage, 'id' | 'caseId' | 'topicHint' | 'statusToken' | 'receivedAt' | 'createdAt'>),
    id: Number(row['id']),
    topicHint: row['topic_hint'] as string | null,
    statusToken: row['status_token'] as string | null,
    hasAttachment: row['has_attachment'] === true,
    caseId: row['case_id'] === null ? null : Number(row['case_id']),
    receivedAt: new Date(row['received_at'] as string),
    createdAt: new Date(row['created_at'] as string),
  };
}

/** Adds the message to an open case: one statement. */
async function joinCase(tx: Tx, message: RoutableMessage, target: NamedCase, keys: string[]): Promise<void> {
  const attention = attentionFor(message);
  const touched = sql`touched`;
  await runPrepared(tx, sql`
    with touched as (
      update cases set updated_at = now(), attention = coalesce(${attention}::text, attention) where id = ${target.id} returning id
    ), ${attachThreadKeysCte(touched, keys)},
    ${markRoutedCtes({ id: message.id, topic: target.topic }, touched, { action: 'message.joined', data: { messageId: message.id } })}
    select 1`);
}

/** The number and page token of a new case: those reserved at intake unless a case has them already. */
async function namesForNewCase(
  tx: Tx,
  context: RoutingContext,
  message: RoutableMessage,
  named: NamedCase[],
): Promise<{ reference: string; statusToken: string }> {
  const reference =
    message.reference && !named.some((c) => c.reference === message.reference)
      ? message.reference
      : await allocateReference(tx, context.referencePrefix, Number(amsterdamDate(new Date()).slice(0, 4)));
  const statusToken =
    message.statusToken && !named.some((c) => c.statusToken === message.statusToken) ? message.statusToken : newStatusToken();
  return { reference, statusToken };
}

/**
 * Opens a case for the message under these names and writes its acknowledgement, in one
 * statement; nothing at all when a case has the number or the page token already, or when
 * the message was routed in the meantime (checked under its row lock).
 */
async function openCase(
  tx: Db | Tx,
  context: RoutingContext,
  message: RoutableMessage,
  names: { reference: string; statusToken: string },
  keys: string[],
): Promise<{ caseId: number; reference: string; topic: string; outboxIds: number[] } | undefined> {
  const { reference, statusToken: token } = names;
  const facts = { ...message, from: message.sender.email };
  const { topic, team, priority, replyTemplate } = decideRouting(facts, context.topics, context.ruleSet);
  const answerBy = addWorkingDays(message.receivedAt, ANSWER_WITHIN_WORKING_DAYS);
  const opened = sql`opened`;
  const templated = templatedReply(context.ruleSet, replyTemplate, { locale: message.locale, reference, answerBy, name: message.sender.name });
  const reply = message.meta['suppressAutoReply'] === true ? undefined : automaticReply(message, reference, answerBy, templated);

  const [row] = await runPrepared<{ id: number | string; reply_id: number | string | null }>(tx, sql`
    with unrouted as (
      select id from messages where id = ${message.id} and routed_at is null for update
    ), opened as (
      insert into cases (reference, channel, topic, team, priority, attention, subject, sender, locale, status_token, answer_by)
      select ${reference}, ${message.channel}, ${topic}, ${team}, ${priority}, ${attentionFor(message)}, ${message.subject},
             ${JSON.stringify(message.sender)}::jsonb, ${message.locale}, ${token}, ${answerBy}::date
        from unrouted
      on conflict do nothing
      returning id
    ), ${attachThreadKeysCte(opened, keys)},
    ${markRoutedCtes({ id: message.id, topic }, opened, {
      action: 'case.opened',
      data: { messageId: message.id, reference, topic },
    })}${reply ? sql`, ${automaticReplyCtes(reply, opened, { limit: context.autoReplyLimit, mailDomain: context.mailDomain })}` : sql``}
    select id, ${reply ? sql`(select id from reply)` : sql`null`} as reply_id from opened`);
  if (!row) return undefined;
  return { caseId: Number(row.id), reference, topic, outboxIds: row.reply_id === null ? [] : [Number(row.reply_id)] };
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
