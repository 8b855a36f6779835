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
import { classify } from './classify.js';
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
}

export type RouteOutcome =
  | { kind: 'missing' }
  | { kind: 'already-routed'; caseId: number }
  | {
      kind: 'routed';
      caseId: number;
      reference: string;
      newCase: boolean;
      topic: string;
      outboxIds: number[];
      channel: string;
      storedAt: Date;
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
  receivedAt: Date;
  createdAt: Date;
}

/**
 * Threads a stored message into an open case or opens one, classifies it and writes
 * its acknowledgement to the outbox — all in one transaction, so a retry after a
 * crash either finds the work done or does all of it.
 */
export async function routeMessage(db: Db, context: RoutingContext, messageId: number): Promise<RouteOutcome> {
  return db.transaction(async (tx) => {
    const message = await lockMessage(tx, messageId);
    if (!message) return { kind: 'missing' };
    if (message.routed && message.caseId) return { kind: 'already-routed', caseId: message.caseId };

    const keys = threadKeys(message.channel, message.thread);
    const quoted = quotedReferences(context.referencePrefix, message);
    if (message.reference) quoted.unshift(message.reference);
    // A reference reserved at intake may not have its case yet: whoever routes first opens it.
    await lockThreadKeys(tx, [...keys, ...quoted.map((reference) => `ref:${reference}`)].sort());
    const routed = { kind: 'routed', channel: message.channel, storedAt: message.createdAt } as const;

    // Named by nothing but what intake reserved for it (a form's first message), a message
    // nearly always opens its case: try that first. The unique indexes on reference and page
    // token tell when another message got there first; only then are the cases looked up.
    const reserved = message.reference && message.statusToken ? { reference: message.reference, statusToken: message.statusToken } : undefined;
    if (reserved && keys.length === 0 && quoted.every((reference) => reference === reserved.reference)) {
      const opened = await openCase(tx, context, message, reserved, keys);
      if (opened) return { ...routed, ...opened, newCase: true };
    }

    const { named, threaded } = await casesNamed(tx, { references: quoted, statusToken: message.statusToken, threadKeys: keys });
    const existing =
      quoted.map((reference) => named.find((c) => c.reference === reference && c.status === 'open')).find(Boolean) ?? threaded;
    if (existing) {
      await joinCase(tx, message, existing, keys);
      return { ...routed, caseId: existing.id, reference: existing.reference, newCase: false, topic: existing.topic, outboxIds: [] };
    }
    const opened = await openCase(tx, context, message, await namesForNewCase(tx, context, message, named), keys);
    // Under the thread-key locks, with the names checked free just now.
    if (!opened) throw new Error(`case ${message.id} could not be opened: its reference or page token is taken`);
    return { ...routed, ...opened, newCase: true };
  });
}

/** The message, locked until the transaction ends so two routers never route it at once. */
async function lockMessage(tx: Tx, messageId: number): Promise<RoutableMessage | undefined> {
  const [row] = await runPrepared<Record<string, unknown>>(tx, sql`
    select id, channel, locale, sender, subject, text, thread, topic_hint, meta, reference, status_token, case_id,
           routed_at is not null as routed, received_at, created_at
      from messages where id = ${messageId} for update`);
  if (!row) return undefined;
  return {
    ...(row as Omit<RoutableMessage, 'id' | 'caseId' | 'topicHint' | 'statusToken' | 'receivedAt' | 'createdAt'>),
    id: Number(row['id']),
    topicHint: row['topic_hint'] as string | null,
    statusToken: row['status_token'] as string | null,
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
 * statement; nothing at all when a case has the number or the page token already.
 */
async function openCase(
  tx: Tx,
  context: RoutingContext,
  message: RoutableMessage,
  names: { reference: string; statusToken: string },
  keys: string[],
): Promise<{ caseId: number; reference: string; topic: string; outboxIds: number[] } | undefined> {
  const { reference, statusToken: token } = names;
  const hinted = context.topics.find((topic) => topic.key === message.topicHint);
  const topic = hinted?.key ?? classify(message, context.topics).topic;
  const team = context.topics.find((candidate) => candidate.key === topic)?.team ?? null;
  const answerBy = addWorkingDays(message.receivedAt, ANSWER_WITHIN_WORKING_DAYS);
  const opened = sql`opened`;
  const reply = message.meta['suppressAutoReply'] === true ? undefined : automaticReply(message, reference, answerBy);

  const [row] = await runPrepared<{ id: number | string; reply_id: number | string | null }>(tx, sql`
    with opened as (
      insert into cases (reference, channel, topic, team, attention, subject, sender, locale, status_token, answer_by)
      values (${reference}, ${message.channel}, ${topic}, ${team}, ${attentionFor(message)}, ${message.subject},
              ${JSON.stringify(message.sender)}::jsonb, ${message.locale}, ${token}, ${answerBy})
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

/** The acknowledgement of a new case, or the notice that the mail was too large to take in. */
function automaticReply(message: RoutableMessage, reference: string, answerBy: PlainDate): AutomaticReply {
  const input = {
    locale: message.locale,
    channel: message.channel,
    name: message.sender.name,
    reference,
    answerBy,
    subject: message.subject,
  };
  const refused = message.meta['refused'] !== undefined;
  const text = refused ? tooLargeNotice(input) : acknowledgement(input);
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
