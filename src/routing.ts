import { eq, sql } from 'drizzle-orm';
import { acknowledgement, tooLargeNotice } from './acknowledgement.js';
import { addWorkingDays, amsterdamDate } from './calendar.js';
import {
  allocateReference,
  attachThreadKeys,
  casesNamed,
  findOpenCaseByThreadKeys,
  lockThreadKeys,
  markRouted,
  newStatusToken,
  type CaseRow,
} from './case.store.js';
import { classify } from './classify.js';
import type { Db, Tx } from './db/database.js';
import { cases, messages } from './db/schema.js';
import type { ChannelName, Locale } from './message.js';
import { insertAutomaticReply } from './outbox.js';
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
    };

type MessageRow = typeof messages.$inferSelect;

/**
 * Threads a stored message into an open case or opens one, classifies it and writes
 * its acknowledgement to the outbox — all in one transaction, so a retry after a
 * crash either finds the work done or does all of it.
 */
export async function routeMessage(db: Db, context: RoutingContext, messageId: number): Promise<RouteOutcome> {
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, messageId)).for('update');
    if (!message) return { kind: 'missing' };
    if (message.routedAt && message.caseId) return { kind: 'already-routed', caseId: message.caseId, channel: message.channel };

    const keys = threadKeys(message.channel as ChannelName, message.thread);
    const quoted = quotedReferences(context.referencePrefix, message);
    if (message.reference) quoted.unshift(message.reference);
    // A reference reserved at intake may not have its case yet: whoever routes first opens it.
    await lockThreadKeys(tx, [...keys, ...quoted.map((reference) => `ref:${reference}`)].sort());
    const named = await casesNamed(tx, quoted, message.statusToken);
    const existing =
      quoted.map((reference) => named.find((c) => c.reference === reference && c.status === 'open')).find(Boolean) ??
      (await findOpenCaseByThreadKeys(tx, keys));
    const target = existing ?? (await openCase(tx, context, message, named));
    await attachThreadKeys(tx, target.id, keys);

    const outboxIds: number[] = [];
    if (existing) {
      const attention = attentionFor(message);
      await tx
        .update(cases)
        .set({ updatedAt: sql`now()`, ...(attention ? { attention } : {}) })
        .where(eq(cases.id, target.id));
      await markRouted(tx, { id: message.id, caseId: target.id, topic: target.topic }, { action: 'message.joined', data: { messageId } });
    } else {
      await markRouted(
        tx,
        { id: message.id, caseId: target.id, topic: target.topic },
        { action: 'case.opened', data: { messageId, reference: target.reference, topic: target.topic } },
      );
      if (message.meta['suppressAutoReply'] !== true) {
        const id = await writeAcknowledgement(tx, context, message, target);
        if (id !== undefined) outboxIds.push(id);
      }
    }
    return {
      kind: 'routed',
      caseId: target.id,
      reference: target.reference,
      newCase: !existing,
      topic: target.topic,
      outboxIds,
      channel: message.channel,
      storedAt: message.createdAt,
    };
  });
}

async function openCase(tx: Tx, context: RoutingContext, message: MessageRow, named: CaseRow[]): Promise<CaseRow> {
  const taken = {
    reference: named.some((c) => c.reference === message.reference),
    statusToken: named.some((c) => c.statusToken === message.statusToken),
  };
  const reserved = message.reference && !taken.reference;
  const reference = reserved
    ? (message.reference as string)
    : await allocateReference(tx, context.referencePrefix, Number(amsterdamDate(new Date()).slice(0, 4)));
  const token = message.statusToken && !taken.statusToken ? message.statusToken : newStatusToken();
  const hinted = context.topics.find((topic) => topic.key === message.topicHint);
  const topic = hinted?.key ?? classify(message, context.topics).topic;
  const team = context.topics.find((candidate) => candidate.key === topic)?.team ?? null;
  const [row] = await tx
    .insert(cases)
    .values({
      reference,
      channel: message.channel,
      topic,
      team,
      attention: attentionFor(message),
      subject: message.subject,
      sender: message.sender,
      locale: message.locale,
      statusToken: token,
      answerBy: addWorkingDays(message.receivedAt, ANSWER_WITHIN_WORKING_DAYS),
    })
    .returning();
  if (!row) throw new Error('case insert returned no row');
  return row;
}

/** Why agents should look at the case this message lands on, if they should. */
function attentionFor(message: MessageRow): string | null {
  if (message.meta['bounceOf']) return 'bounce';
  if (message.meta['refused']) return 'too-large';
  return null;
}

async function writeAcknowledgement(
  tx: Tx,
  context: RoutingContext,
  message: MessageRow,
  target: CaseRow,
): Promise<number | undefined> {
  const input = {
    locale: message.locale as Locale,
    channel: message.channel as ChannelName,
    name: message.sender.name,
    reference: target.reference,
    answerBy: target.answerBy,
    subject: message.subject,
  };
  const refused = message.meta['refused'] !== undefined;
  const text = refused ? tooLargeNotice(input) : acknowledgement(input);
  return insertAutomaticReply(
    tx,
    {
      caseId: target.id,
      messageId: message.id,
      channel: message.channel,
      kind: refused ? 'refused-too-large' : 'acknowledgement',
      locale: message.locale,
      recipient: message.sender,
      subject: text.subject,
      body: text.body,
    },
    { limit: context.autoReplyLimit, mailDomain: context.mailDomain },
  );
}
