import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { transcriptText } from '../../channels/chat/chat.closing.js';
import { CHAT_ANSWER_KIND, conversationById, conversationHistory } from '../../channels/chat/conversation.store.js';
import type { Db } from '../db/database.js';
import { audit, cases, messages, outbox, threadKeys as threadKeyRows } from '../db/schema.js';
import { outboxMessageId } from '../outbox.js';
import { threadKeys } from '../thread.js';
import { isCaseContact } from '../contact.js';
import { answerRecipient, type Sender } from '../message.js';

/** The outbox kind of an agent's answer (chat lines keep the chat's own kind). */
export const ANSWER_KIND = 'answer';

/** Why an answer could not be written; `message` is for the agent, in Dutch. */
export class AnswerRefusedError extends Error {
  override name = 'AnswerRefusedError';
  constructor(
    message: string,
    readonly code: 'NO_INBOUND' | 'CHAT_CLOSED_NO_EMAIL' | 'NO_ADDRESS',
  ) {
    super(message);
  }
}

/** Where an answer goes: the outbox row's channel, recipient and thread, before it is written. */
export interface AnswerRoute {
  channel: 'email' | 'webform' | 'chat' | 'phone' | 'post';
  kind: string;
  recipient: Sender;
  subject: string;
  body: string;
  /** The inbound mail this answers (In-Reply-To), for mail answers. */
  inReplyToMessageId?: number;
  meta: Record<string, unknown>;
}

interface LastInbound {
  id: number;
  channel: string;
  sender: Sender;
  subject: string;
  conversationId: string | undefined;
}

async function lastInbound(db: Db, caseId: number): Promise<LastInbound | undefined> {
  const [row] = await db
    .select({ id: messages.id, channel: messages.channel, sender: messages.sender, subject: messages.subject, thread: messages.thread })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), isNotNull(messages.routedAt)))
    .orderBy(desc(messages.receivedAt), desc(messages.id))
    .limit(1);
  return row && { id: row.id, channel: row.channel, sender: row.sender, subject: row.subject, conversationId: row.thread.conversationId };
}

const reSubject = (subject: string) => (/^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim() || 'uw bericht'}`);

/**
 * The case's contact, completed with what their latest message adds (the number of a call,
 * the address of a letter); a message somebody else wrote adds nothing. Answers go here,
 * never to whoever wrote last.
 */
function answerTo(contact: Sender, lastSender: Sender): Sender {
  const given = Object.fromEntries(Object.entries(contact).filter(([, value]) => value !== undefined && value !== ''));
  return answerRecipient(isCaseContact(contact, lastSender) ? { ...lastSender, ...given } : contact);
}

/**
 * Decides how an answer leaves: over the channel of the case's last inbound message, to the
 * case's contact. A chat whose conversation is over is answered by mail (with the
 * conversation below the answer) when the visitor gave an address, and refused otherwise.
 */
export async function routeAnswer(db: Db, owner: { id: number; subject: string; sender: Sender }, text: string, agent: string): Promise<AnswerRoute> {
  const last = await lastInbound(db, owner.id);
  if (!last) throw new AnswerRefusedError('Deze zaak heeft nog geen bericht om op te antwoorden.', 'NO_INBOUND');
  const contact = answerTo(owner.sender, last.sender);
  const subject = `Antwoord op uw vraag: ${owner.subject || last.subject || 'uw bericht'}`;
  switch (last.channel) {
    case 'email': {
      if (!contact.email) throw new AnswerRefusedError('De contactpersoon van deze zaak heeft geen e-mailadres.', 'NO_ADDRESS');
      return { channel: 'email', kind: ANSWER_KIND, recipient: contact, subject: reSubject(last.subject), body: text, inReplyToMessageId: last.id, meta: { agent } };
    }
    case 'chat': {
      const conversation = last.conversationId ? await conversationById(db, last.conversationId) : undefined;
      if (conversation && conversation.state !== 'closed') {
        return { channel: 'chat', kind: CHAT_ANSWER_KIND, recipient: conversation.visitor, subject: '', body: text, meta: { conversationId: conversation.id, agent } };
      }
      const visitor = conversation?.visitor ?? last.sender;
      if (!visitor.email) {
        throw new AnswerRefusedError(
          'Het chatgesprek is gesloten en de bezoeker heeft geen e-mailadres gegeven. Het antwoord kan niet worden verstuurd; neem op een andere manier contact op.',
          'CHAT_CLOSED_NO_EMAIL',
        );
      }
      const history = conversation ? await conversationHistory(db, conversation.id) : [];
      const transcript = history.length > 0 ? `\n\n-----\n${transcriptText('nl', history)}` : '';
      return {
        channel: 'email',
        kind: ANSWER_KIND,
        recipient: visitor,
        subject: 'Antwoord op uw chatgesprek met het contactcenter',
        body: `${text}${transcript}`,
        meta: { agent, answersConversation: last.conversationId },
      };
    }
    case 'webform':
    case 'phone':
    case 'post':
      return { channel: last.channel, kind: ANSWER_KIND, recipient: contact, subject, body: text, meta: { agent } };
    default:
      throw new AnswerRefusedError(`Onbekend kanaal ${last.channel}.`, 'NO_INBOUND');
  }
}

/**
 * Writes the answer as an outbox row with its audit row, in one transaction. A mail answer
 * names the inbound mail it answers (message_id) when it is the first answer to it; a later
 * one keeps the thread through meta.inReplyToMessageId, as the outbox allows one row per
 * message and kind.
 */
export async function writeAnswer(
  db: Db,
  owner: { id: number; reference: string; locale: string },
  route: AnswerRoute,
  actor: string,
  mailDomain: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const values = {
      caseId: owner.id,
      channel: route.channel,
      kind: route.kind,
      locale: owner.locale === 'en' ? 'en' : 'nl',
      recipient: route.recipient,
      subject: route.subject,
      body: route.body,
      meta: route.inReplyToMessageId ? { ...route.meta, inReplyToMessageId: route.inReplyToMessageId } : route.meta,
    };
    let [inserted] = route.inReplyToMessageId
      ? await tx.insert(outbox).values({ ...values, messageId: route.inReplyToMessageId }).onConflictDoNothing().returning({ id: outbox.id })
      : [];
    [inserted] = inserted ? [inserted] : await tx.insert(outbox).values(values).returning({ id: outbox.id });
    if (!inserted) throw new Error(`answer on case ${owner.reference} was not written`);
    if (route.channel === 'email' || route.channel === 'webform') {
      // A reply to the answer's mail joins this case even without the reference in it.
      const [key] = threadKeys('email', { messageId: outboxMessageId(inserted.id, mailDomain), references: [] });
      if (key) await tx.insert(threadKeyRows).values({ key, caseId: owner.id }).onConflictDoNothing();
    }
    await tx.insert(audit).values({
      actor,
      action: 'case.answer',
      entity: 'case',
      entityId: owner.reference,
      data: { outboxId: inserted.id, channel: route.channel, kind: route.kind },
    });
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, owner.id));
    return inserted.id;
  });
}
